/**
 * The query-protection limits and the codes their rejections carry. Here, importing nothing, so the
 * error formatter and the rules that enforce them can both name them.
 */
export const LIMITS = {
  maxDepth: 8,
  maxAliases: 15,
  /** Estimated fields answered (graphql/cost.ts). */
  maxCost: 100_000,
  maxTokens: 3_000,
} as const;

export const LimitCode = {
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
} as const;
