/**
 * @roadmap design.ddd
 * Look at the article as the services take and return it: plain values with dates as dates, and
 * the rules every transport shares (how long each field may be, how tags are normalised).
 */
import type { Profile } from '../profiles/profile.model';

/**
 * An article as a reader sees it. `favorited` and `author.following` are about that reader (false
 * for an anonymous one); `id` is for the services, presenters never show it.
 */
export interface Article {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  /** In the order the author gave. */
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  favorited: boolean;
  favoritesCount: number;
  author: Profile;
}

/** What lists return: everything but the body, which lists never need to load. */
export type ArticleSummary = Omit<Article, 'body'>;

export interface ArticlePage {
  articles: ArticleSummary[];
  /** All articles matching the filter, not just this page. */
  articlesCount: number;
}

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList?: string[];
}

/** Only the fields present change; `tagList: []` clears the tags, leaving it out keeps them. */
export type ArticleChanges = Partial<NewArticle>;

/** Filters of the global list; each narrows it, an unknown value matches nothing. */
export interface ArticleFilter {
  tag?: string;
  /** Username of the author. */
  author?: string;
  /** Username of a user who favorited the article. */
  favorited?: string;
}

export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 1000;
export const BODY_MAX_LENGTH = 100_000;
export const MAX_TAGS = 20;
export const TAG_MAX_LENGTH = 40;

/** Tags are trimmed and de-duplicated, keeping the order the author gave. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()))];
}
