/**
 * @roadmap apis.rest
 * Look at a search result presented as a list item of GET /api/articles plus one field,
 * `highlight`: a client that shows article lists shows search results with no new code.
 */
import { presentArticleSummary } from '../articles/article.presenter';
import type { SearchPage } from './search.model';

/** `{ "articles": [ { ...list item, "highlight": {...} } ], "articlesCount": n }` */
export function presentSearchPage(page: SearchPage) {
  return {
    articles: page.articles.map((article) => ({ ...presentArticleSummary(article), highlight: article.highlight })),
    articlesCount: page.articlesCount,
  };
}
