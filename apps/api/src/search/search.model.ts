/**
 * @roadmap databases.full-text-search, apis.pagination
 * Look at what a search answers in the domain's terms: the same article summaries as a list, each
 * with the snippets that matched, best match first; and at its own page bounds, tighter than a
 * list's, because a relevance ranking is only worth reading near its top (and Sphinx and
 * Elasticsearch keep only so many best matches per query).
 */
import type { PageBounds } from '../common/pagination';
import type { ArticleSummary } from '../articles/article.model';

/** What a reader asks: the text they typed, and the list's filters. */
export interface ArticleSearch {
  q: string;
  tag?: string;
  /** Username of the author, compared ignoring case. */
  author?: string;
}

/** HTML: the article's text escaped, each match in `<mark>...</mark>`; only fields that matched. */
export interface SearchHighlight {
  title?: string;
  description?: string;
  body?: string;
}

export type ArticleSearchHit = ArticleSummary & { highlight: SearchHighlight };

export interface SearchPage {
  /** Best match first. */
  articles: ArticleSearchHit[];
  /** Every match, not just this page. */
  articlesCount: number;
}

export const SEARCH_PAGES: PageBounds = { defaultLimit: 20, maxLimit: 100, maxOffset: 1_000 };
