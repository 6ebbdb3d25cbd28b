/**
 * @roadmap apis.rest, auth.jwt
 * Look at the guards per route (reading is open, with `favorited`/`following` for a signed-in
 * reader; writing needs a token) and at how little else a controller does: unwrap the envelope,
 * call the service with plain values, present what it returns.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { actorOf } from '../moderation/actor';
import { PageQuery } from '../common/dto/page-query.dto';
import { AcceptsLargeBody } from '../common/http/body-limit';
import { PubliclyCacheable } from '../common/http/http-caching';
import { ARTICLE_PAGES, toPageRequest } from '../common/pagination';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { presentArticlePage, presentArticleResponse } from './article.presenter';
import { ArticlesService } from './articles.service';
import { CreateArticleBody, ListArticlesQuery, UpdateArticleBody } from './dto/article-bodies.dto';

@ApiTags('Articles')
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetArticles',
    summary: 'List articles, newest first',
    auth: 'optional',
    success: { status: 200, schema: 'MultipleArticlesResponse', description: 'Articles' },
    errors: [401, 422],
  })
  @PubliclyCacheable()
  @UseGuards(OptionalJwtAuthGuard)
  async list(@Query() query: ListArticlesQuery, @CurrentUser() viewer?: AuthenticatedUser) {
    const { tag, author, favorited } = query;
    const page = await this.articles.list({ tag, author, favorited }, toPageRequest(query, ARTICLE_PAGES), viewer?.id);
    return presentArticlePage(page);
  }

  @Get('feed')
  @ApiEndpoint({
    operationId: 'GetArticlesFeed',
    summary: 'Articles by followed authors, newest first',
    auth: 'required',
    success: { status: 200, schema: 'MultipleArticlesResponse', description: 'Articles' },
    errors: [401, 422],
  })
  @UseGuards(JwtAuthGuard)
  async feed(@Query() query: PageQuery, @CurrentUser() viewer: AuthenticatedUser) {
    return presentArticlePage(await this.articles.feed(toPageRequest(query, ARTICLE_PAGES), viewer.id));
  }

  @Post()
  @ApiEndpoint({
    operationId: 'CreateArticle',
    summary: 'Create an article',
    auth: 'required',
    success: { status: 201, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 409, 422],
  })
  @HttpCode(HttpStatus.CREATED)
  @AcceptsLargeBody()
  @UseGuards(JwtAuthGuard)
  async create(@CurrentUser() author: AuthenticatedUser, @Body() { article }: CreateArticleBody) {
    return presentArticleResponse(await this.articles.create(author.id, article));
  }

  @Get(':slug')
  @ApiEndpoint({
    operationId: 'GetArticle',
    summary: 'Get an article',
    auth: 'optional',
    success: { status: 200, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 404, 422],
  })
  @UseGuards(OptionalJwtAuthGuard)
  async get(@Param('slug') slug: string, @CurrentUser() viewer?: AuthenticatedUser) {
    return presentArticleResponse(await this.articles.findBySlug(slug, viewer?.id));
  }

  @Put(':slug')
  @ApiEndpoint({
    operationId: 'UpdateArticle',
    summary: 'Update an article',
    auth: 'required',
    success: { status: 200, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 403, 404, 422],
  })
  @AcceptsLargeBody()
  @UseGuards(JwtAuthGuard)
  async update(
    @Param('slug') slug: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() { article: changes }: UpdateArticleBody,
  ) {
    return presentArticleResponse(await this.articles.update(slug, user.id, changes));
  }

  @Delete(':slug')
  @ApiEndpoint({
    operationId: 'DeleteArticle',
    summary: 'Delete an article',
    auth: 'required',
    success: { status: 204, description: 'No content' },
    errors: [401, 403, 404, 422],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  async delete(@Param('slug') slug: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.articles.delete(slug, actorOf(user));
  }

  @Post(':slug/favorite')
  @ApiEndpoint({
    operationId: 'CreateArticleFavorite',
    summary: 'Favorite an article',
    auth: 'required',
    success: { status: 200, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 404, 422],
  })
  @HttpCode(HttpStatus.OK)
  @UseGuards(JwtAuthGuard)
  async favorite(@Param('slug') slug: string, @CurrentUser() user: AuthenticatedUser) {
    return presentArticleResponse(await this.articles.favorite(slug, user.id));
  }

  @Delete(':slug/favorite')
  @ApiEndpoint({
    operationId: 'DeleteArticleFavorite',
    summary: 'Unfavorite an article',
    auth: 'required',
    success: { status: 200, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 404, 422],
  })
  @UseGuards(JwtAuthGuard)
  async unfavorite(@Param('slug') slug: string, @CurrentUser() user: AuthenticatedUser) {
    return presentArticleResponse(await this.articles.unfavorite(slug, user.id));
  }
}
