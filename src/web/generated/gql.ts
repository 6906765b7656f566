/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CatalogueSearch($filter: SupplierFilter, $first: Int, $after: String) {\n  suppliers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        id\n        name\n        summary\n        currentDspt {\n          status\n        }\n        frameworkAwards {\n          status\n          lot {\n            number\n            name\n            framework {\n              code\n            }\n          }\n        }\n        solutions {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CatalogueFilters {\n  capabilities {\n    reference\n    name\n  }\n  frameworks {\n    code\n    name\n    lots {\n      number\n      name\n    }\n  }\n}\n\nquery SupplierPage($id: ID!) {\n  supplier(id: $id) {\n    id\n    name\n    legalName\n    companiesHouseNumber\n    website\n    summary\n    odsCode\n    certifications {\n      id\n      type\n      certificateNumber\n      certifyingBody\n      validFrom\n      validUntil\n      isValid\n      daysUntilExpiry\n    }\n    currentDspt {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    dsptHistory {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    frameworkAwards {\n      status\n      awardedOn\n      expiresOn\n      lot {\n        number\n        name\n        framework {\n          code\n          name\n        }\n      }\n    }\n    solutions {\n      id\n      name\n      summary\n      publicationStatus\n    }\n  }\n}": typeof types.CatalogueSearchDocument,
};
const documents: Documents = {
    "query CatalogueSearch($filter: SupplierFilter, $first: Int, $after: String) {\n  suppliers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        id\n        name\n        summary\n        currentDspt {\n          status\n        }\n        frameworkAwards {\n          status\n          lot {\n            number\n            name\n            framework {\n              code\n            }\n          }\n        }\n        solutions {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CatalogueFilters {\n  capabilities {\n    reference\n    name\n  }\n  frameworks {\n    code\n    name\n    lots {\n      number\n      name\n    }\n  }\n}\n\nquery SupplierPage($id: ID!) {\n  supplier(id: $id) {\n    id\n    name\n    legalName\n    companiesHouseNumber\n    website\n    summary\n    odsCode\n    certifications {\n      id\n      type\n      certificateNumber\n      certifyingBody\n      validFrom\n      validUntil\n      isValid\n      daysUntilExpiry\n    }\n    currentDspt {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    dsptHistory {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    frameworkAwards {\n      status\n      awardedOn\n      expiresOn\n      lot {\n        number\n        name\n        framework {\n          code\n          name\n        }\n      }\n    }\n    solutions {\n      id\n      name\n      summary\n      publicationStatus\n    }\n  }\n}": types.CatalogueSearchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CatalogueSearch($filter: SupplierFilter, $first: Int, $after: String) {\n  suppliers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        id\n        name\n        summary\n        currentDspt {\n          status\n        }\n        frameworkAwards {\n          status\n          lot {\n            number\n            name\n            framework {\n              code\n            }\n          }\n        }\n        solutions {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CatalogueFilters {\n  capabilities {\n    reference\n    name\n  }\n  frameworks {\n    code\n    name\n    lots {\n      number\n      name\n    }\n  }\n}\n\nquery SupplierPage($id: ID!) {\n  supplier(id: $id) {\n    id\n    name\n    legalName\n    companiesHouseNumber\n    website\n    summary\n    odsCode\n    certifications {\n      id\n      type\n      certificateNumber\n      certifyingBody\n      validFrom\n      validUntil\n      isValid\n      daysUntilExpiry\n    }\n    currentDspt {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    dsptHistory {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    frameworkAwards {\n      status\n      awardedOn\n      expiresOn\n      lot {\n        number\n        name\n        framework {\n          code\n          name\n        }\n      }\n    }\n    solutions {\n      id\n      name\n      summary\n      publicationStatus\n    }\n  }\n}"): (typeof documents)["query CatalogueSearch($filter: SupplierFilter, $first: Int, $after: String) {\n  suppliers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        id\n        name\n        summary\n        currentDspt {\n          status\n        }\n        frameworkAwards {\n          status\n          lot {\n            number\n            name\n            framework {\n              code\n            }\n          }\n        }\n        solutions {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CatalogueFilters {\n  capabilities {\n    reference\n    name\n  }\n  frameworks {\n    code\n    name\n    lots {\n      number\n      name\n    }\n  }\n}\n\nquery SupplierPage($id: ID!) {\n  supplier(id: $id) {\n    id\n    name\n    legalName\n    companiesHouseNumber\n    website\n    summary\n    odsCode\n    certifications {\n      id\n      type\n      certificateNumber\n      certifyingBody\n      validFrom\n      validUntil\n      isValid\n      daysUntilExpiry\n    }\n    currentDspt {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    dsptHistory {\n      cycle\n      status\n      publishedOn\n      currentUntil\n    }\n    frameworkAwards {\n      status\n      awardedOn\n      expiresOn\n      lot {\n        number\n        name\n        framework {\n          code\n          name\n        }\n      }\n    }\n    solutions {\n      id\n      name\n      summary\n      publicationStatus\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;