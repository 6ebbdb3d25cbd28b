/**
 * @roadmap apis.pagination
 * Look at the bounds: every list has a default page size, a ceiling on the page size and a ceiling
 * on how far it may skip, so no request can ask the database for unbounded work.
 */
/** A page as the services take it: transports fill in the defaults. */
export interface PageRequest {
  limit: number;
  offset: number;
}

export interface PageBounds {
  defaultLimit: number;
  maxLimit: number;
  /** Skipping is not free (the database still walks the skipped rows): deep pages are refused. */
  maxOffset: number;
}

export const ARTICLE_PAGES: PageBounds = { defaultLimit: 20, maxLimit: 100, maxOffset: 100_000 };

/** Generous, so that a client that knows nothing of paging still sees any real thread whole. */
export const COMMENT_PAGES: PageBounds = { defaultLimit: 200, maxLimit: 500, maxOffset: 100_000 };

export function toPageRequest(query: { limit?: number; offset?: number }, bounds: PageBounds): PageRequest {
  return { limit: query.limit ?? bounds.defaultLimit, offset: query.offset ?? 0 };
}
