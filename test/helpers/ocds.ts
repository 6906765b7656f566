import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';

/** A validator for OCDS 1.1.5 release packages, from the schemas kept under test/fixtures (no download). */
export async function ocdsPackageValidator() {
  // CommonJS default exports, typed loosely for NodeNext.
  const Ajv = (await import('ajv-draft-04')).default as unknown as new (options: object) => import('ajv').default;
  const addFormats = (await import('ajv-formats')).default as unknown as (ajv: unknown) => void;
  const dir = path.join(projectRoot, 'test/fixtures/ocds-1.1.5');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, 'release-schema.json'), 'utf8')));
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, 'release-package-schema.json'), 'utf8')));
}
