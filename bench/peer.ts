
/**
 * The peer the read path is measured against: PostGraphile 5 (amber preset, served by grafserv, a
 * pool of 10) over the same database, and the two logical queries written for both servers so that
 * they return the same rows: active suppliers, verified evidence only, published solutions, the DSPT
 * publication current on the day. test/peer.test.ts checks that the answers agree. The server itself is in peer-server.ts.
 */

// ---------------------------------------------------------------------------------------------------
// The two queries, as our API asks them.

/** A catalogue page of `first` suppliers with everything nested under them (the catalogue bench's query, with ids). */
export const OUR_CATALOGUE = `query CataloguePage($first: Int!) { suppliers(first: $first) { edges { node {
  id name
  certifications { id type validFrom validUntil }
  currentDspt { id cycle status }
  frameworkAwards { id awardedOn expiresOn lot { number name framework { code name } } }
  solutions { id name capabilities { id result capability { reference name } } }
} } } }`;

/** One supplier with its certificates (the supplier page's certificate list). */
export const OUR_SUPPLIER = `query SupplierCertificates($id: ID!) { supplier(id: $id) {
  id name
  certifications { id type certificateNumber certifyingBody validFrom validUntil }
} }`;

// ---------------------------------------------------------------------------------------------------
// The same two, as the peer asks them: the rules ours applies in code or SQL become conditions.

export const PEER_CATALOGUE = `query CataloguePage($first: Int!, $today: String!) {
  allSuppliers(first: $first, condition: { active: true }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { nodes {
    rowId name
    certificationsBySupplierId(condition: { verificationStatus: "VERIFIED" }, orderBy: [TYPE_ASC, VALID_UNTIL_DESC, PRIMARY_KEY_ASC]) {
      nodes { rowId type validFrom validUntil }
    }
    dsptAssessmentsByOdsCode(condition: { verificationStatus: "VERIFIED", currentOn: $today }, orderBy: [PUBLISHED_ON_DESC, PRIMARY_KEY_DESC], first: 1) {
      nodes { rowId cycle status }
    }
    frameworkAwardsBySupplierId(orderBy: [AWARDED_ON_ASC, PRIMARY_KEY_ASC]) {
      nodes { rowId awardedOn expiresOn lotByLotId { number name frameworkByFrameworkId { code name } } }
    }
    solutionsBySupplierId(condition: { publicationStatus: "PUBLISHED" }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) {
      nodes { rowId name capabilityAssessmentsBySolutionId(condition: { verificationStatus: "VERIFIED" }) {
        nodes { rowId result capabilityByCapabilityId { reference name } }
      } }
    }
  } }
}`;

export const PEER_SUPPLIER = `query SupplierCertificates($id: UUID!) { supplierByRowId(rowId: $id) {
  rowId name
  certificationsBySupplierId(condition: { verificationStatus: "VERIFIED" }, orderBy: [TYPE_ASC, VALID_UNTIL_DESC, PRIMARY_KEY_ASC]) {
    nodes { rowId type certificateNumber certifyingBody validFrom validUntil }
  }
} }`;

// ---------------------------------------------------------------------------------------------------
// The answers, brought to one shape so that the two servers' answers can be compared.

export interface Shaped {
  id: string;
  name: string;
  certifications: unknown[];
  dspt?: unknown;
  awards?: unknown[];
  solutions?: unknown[];
}

type Json = Record<string, any>;

/** Capability assessments come in capability order from us and in no stated order from the peer: compared as sets. */
const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function shapeOurs(data: Json): Shaped[] {
  const nodes: Json[] = data.suppliers ? data.suppliers.edges.map((e: Json) => e.node) : data.supplier ? [data.supplier] : [];
  return nodes.map((s) => ({
    id: s.id,
    name: s.name,
    certifications: s.certifications,
    ...(data.suppliers
      ? {
          dspt: s.currentDspt ?? null,
          awards: s.frameworkAwards.map((a: Json) => ({ id: a.id, awardedOn: a.awardedOn, expiresOn: a.expiresOn, lot: a.lot })),
          solutions: s.solutions.map((so: Json) => ({
            id: so.id,
            name: so.name,
            capabilities: byId(so.capabilities.map((c: Json) => ({ id: c.id, result: c.result, capability: c.capability }))),
          })),
        }
      : {}),
  }));
}

export function shapePeer(data: Json): Shaped[] {
  const nodes: Json[] = data.allSuppliers ? data.allSuppliers.nodes : data.supplierByRowId ? [data.supplierByRowId] : [];
  const rowIds = (rows: Json[]) => rows.map(({ rowId, ...rest }) => ({ id: rowId, ...rest }));
  return nodes.map((s) => ({
    id: s.rowId,
    name: s.name,
    certifications: rowIds(s.certificationsBySupplierId.nodes),
    ...(data.allSuppliers
      ? {
          dspt: rowIds(s.dsptAssessmentsByOdsCode.nodes)[0] ?? null,
          awards: s.frameworkAwardsBySupplierId.nodes.map((a: Json) => ({
            id: a.rowId,
            awardedOn: a.awardedOn,
            expiresOn: a.expiresOn,
            lot: { number: a.lotByLotId.number, name: a.lotByLotId.name, framework: a.lotByLotId.frameworkByFrameworkId },
          })),
          solutions: s.solutionsBySupplierId.nodes.map((so: Json) => ({
            id: so.rowId,
            name: so.name,
            capabilities: byId(so.capabilityAssessmentsBySolutionId.nodes.map((c: Json) => ({ id: c.rowId, result: c.result, capability: c.capabilityByCapabilityId }))),
          })),
        }
      : {}),
  }));
}
