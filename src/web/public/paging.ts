import { OperationError } from '../operations.js';

/** Page size of a list that is the page (the search page's, too). */
export const PAGE_SIZE = 20;

/** Page size of a list that is one section of a page (a framework's suppliers, a capability's solutions). */
export const SECTION_PAGE_SIZE = 10;

/** A query-string value, trimmed; undefined when absent, empty or repeated. */
export const one = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The URL of a page with these parameters (empty ones left out). */
export function urlOf(pathname: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `${pathname}?${text}` : pathname;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** Links to the next page (by the API's cursor) and back to the first, as the NHS pagination component takes them. */
export function pagingLinks(pathname: string, params: Record<string, string | undefined>, after: string | undefined, pageInfo: PageInfo) {
  return {
    nextUrl: pageInfo.hasNextPage && pageInfo.endCursor ? urlOf(pathname, { ...params, after: pageInfo.endCursor }) : undefined,
    firstUrl: after ? urlOf(pathname, params) : undefined,
  };
}

/**
 * Runs a paged operation from the cursor in the URL. A cursor the API did not issue (an edited or
 * stale link) shows the first page with the NHS error summary, answered 400, rather than an error page.
 */
export async function fromCursor<T>(
  run: (after: string | undefined) => Promise<T>,
  after: string | undefined,
): Promise<{ data: T; after: string | undefined; status: number; errorList?: { text: string; href: string }[] }> {
  try {
    return { data: await run(after), after, status: 200 };
  } catch (error) {
    const refused = error instanceof OperationError && error.code === 'BAD_USER_INPUT' && error.fields.some((f) => f.field === 'after');
    if (!after || !refused) throw error;
    return {
      data: await run(undefined),
      after: undefined,
      status: 400,
      errorList: [{ text: 'That link to a page of results is not valid. The first page is shown.', href: '#results-heading' }],
    };
  }
}

/** Whether the API refused the input itself (a malformed id or code): such a page does not exist. */
export const refusedInput = (error: unknown): boolean => error instanceof OperationError && error.code === 'BAD_USER_INPUT';
