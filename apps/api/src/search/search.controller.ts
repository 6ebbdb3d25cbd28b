/**
 * @roadmap apis.rest, databases.full-text-search
 * Look at GET /api/search: open to everyone, with `favorited`/`following` for a signed-in reader
 * like the article list, validated by its DTO, answered in the list's shape whichever engine
 * (SEARCH_ENGINE) found the articles.
 */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { toPageRequest } from '../common/pagination';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { SearchArticlesQuery } from './dto/search-query.dto';
import { presentSearchPage } from './search.presenter';
import { SEARCH_PAGES } from './search.model';
import { SearchService } from './search.service';

@ApiTags('Search')
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'SearchArticles',
    summary: 'Full-text search of articles, best match first, with highlighted snippets',
    auth: 'optional',
    success: { status: 200, schema: 'SearchResultsResponse', description: 'Matching articles' },
    errors: [401, 422, 503],
  })
  @UseGuards(OptionalJwtAuthGuard)
  async find(@Query() query: SearchArticlesQuery, @CurrentUser() viewer?: AuthenticatedUser) {
    const { q, tag, author } = query;
    const page = await this.search.search({ q, tag, author }, toPageRequest(query, SEARCH_PAGES), viewer?.id);
    return presentSearchPage(page);
  }
}
