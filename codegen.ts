import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for the pages' operations, from the committed SDL (a test fails when they drift). */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['src/web/**/*.graphql'],
  // NodeNext resolution: relative imports carry their .js extension.
  emitLegacyCommonJSImports: false,
  importExtension: '.js',
  generates: {
    'src/web/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', URL: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
  hooks: {},
};
export default config;
