/**
 * @roadmap apis.graphql, databases.full-text-search
 * Look at full-text search over GraphQL: the same SearchService call as GET /api/search (whichever
 * engine is configured), best match first, as a connection.
 */
import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { pageFromArgs, toConnection, type Connection } from '../graphql/connection';
import { perItemComplexity } from '../graphql/query-limits';
import { SEARCH_PAGES } from './search.model';
import { SearchService } from './search.service';
import { ArticleSearchConnection, SearchArgs, type ArticleSearchHitType } from './search.type';

@Resolver()
export class SearchResolver {
  constructor(private readonly searchService: SearchService) {}

  @Query(() => ArticleSearchConnection, {
    description: 'Full-text search of articles, best match first.',
    complexity: perItemComplexity(SEARCH_PAGES.defaultLimit),
  })
  @UseGuards(OptionalJwtAuthGuard)
  async search(
    @Args() args: SearchArgs,
    @CurrentUser() viewer?: AuthenticatedUser,
  ): Promise<Connection<ArticleSearchHitType>> {
    const page = pageFromArgs(args, SEARCH_PAGES);
    const { query: q, tag, author } = args;
    const result = await this.searchService.search({ q, tag, author }, page, viewer?.id);
    const hits = result.articles.map(({ highlight, ...article }) => ({ article, highlight }));
    return toConnection(hits, result.articlesCount, page);
  }
}
