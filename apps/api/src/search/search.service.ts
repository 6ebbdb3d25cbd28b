/**
 * @roadmap databases.full-text-search, architecture.hexagonal
 * Look at a search in three steps, whatever the engine: the engine ranks and highlights (it only
 * knows ids), the articles are loaded from Postgres by those ids with the same SQL as a list (so a
 * result looks exactly like a list item, and an article deleted but not yet removed from an
 * external index simply drops out), and the reader's own `favorited`/`following` is added on top.
 * Results are not cached: every query is different, and the engines are fast enough.
 */
import { Inject, Injectable } from '@nestjs/common';
import { searchTextProblem, SearchUnavailableError, type SearchEngine, type SearchResult } from '@capstone/search';
import { selectArticleSummariesByIds } from '../articles/article.sql';
import { InvalidInputError, UnavailableError } from '../common/errors/domain-errors';
import type { PageRequest } from '../common/pagination';
import { Sql } from '../database/sql';
import { ViewerRelations } from '../profiles/viewer-relations';
import { SEARCH_ENGINE } from './search-engine.provider';
import type { ArticleSearch, ArticleSearchHit, SearchPage } from './search.model';

/** An external engine that is down usually takes a while to come back. */
const RETRY_AFTER_SEARCH_DOWN_SECONDS = 5;

@Injectable()
export class SearchService {
  constructor(
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly sql: Sql,
    private readonly viewer: ViewerRelations,
  ) {}

  async search(search: ArticleSearch, page: PageRequest, viewerId?: number): Promise<SearchPage> {
    // Any transport gets the same refusal: too long, no word at all, too many words.
    const problem = searchTextProblem(search.q);
    if (problem) throw new InvalidInputError({ q: [problem] });
    let result: SearchResult;
    try {
      result = await this.engine.search({ ...search, limit: page.limit, offset: page.offset });
    } catch (error) {
      if (error instanceof SearchUnavailableError) {
        throw new UnavailableError('search', RETRY_AFTER_SEARCH_DOWN_SECONDS, { cause: error, reason: 'unreachable' });
      }
      throw error; // a database error: translated by the error mapping like any other
    }
    const summaries = await selectArticleSummariesByIds(
      this.sql,
      result.hits.map((hit) => hit.id),
    );
    const byId = new Map(summaries.map((article) => [article.id, article]));
    const found = result.hits.flatMap((hit): ArticleSearchHit[] => {
      const article = byId.get(hit.id);
      return article ? [{ ...article, highlight: hit.highlight }] : [];
    });
    return { articles: await this.viewer.withArticleState(found, viewerId), articlesCount: result.total };
  }
}
