/**
 * @roadmap apis.rest, apis.json-api
 * Look at what the REST edge adds to a domain article: ISO 8601 dates, the author in the spec's
 * Profile shape, no body in list items, and the envelopes the RealWorld spec names.
 */
import { presentProfile } from '../profiles/profile.presenter';
import type { Article, ArticlePage, ArticleSummary } from './article.model';

/** An item of MultipleArticlesResponse: the spec leaves the body out of lists. */
export function presentArticleSummary(article: ArticleSummary) {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.tagList,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    favorited: article.favorited,
    favoritesCount: article.favoritesCount,
    author: presentProfile(article.author),
  };
}

/** The spec's SingleArticleResponse. */
export function presentArticleResponse(article: Article) {
  return { article: { ...presentArticleSummary(article), body: article.body } };
}

/** The spec's MultipleArticlesResponse. */
export function presentArticlePage(page: ArticlePage) {
  return { articles: page.articles.map(presentArticleSummary), articlesCount: page.articlesCount };
}
