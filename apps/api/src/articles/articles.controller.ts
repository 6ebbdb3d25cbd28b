/**
 * @roadmap apis.rest, auth.jwt
 * Look at the guards per route: reading is open (with `favorited`/`following` for a signed-in
 * reader), writing needs a token, and changing an article needs its author.
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
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { toArticle, toArticleListItem } from './article.presenter';
import { ArticlesService } from './articles.service';
import { CreateArticleBody, ListArticlesQuery, PageQuery, UpdateArticleBody } from './dto/article-bodies.dto';

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
  @UseGuards(OptionalJwtAuthGuard)
  async list(@Query() query: ListArticlesQuery, @CurrentUser() viewer?: AuthenticatedUser) {
    const { articles, articlesCount } = await this.articles.list(query, viewer?.id);
    return { articles: articles.map(toArticleListItem), articlesCount };
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
    const { articles, articlesCount } = await this.articles.feed(query, viewer.id);
    return { articles: articles.map(toArticleListItem), articlesCount };
  }

  @Post()
  @ApiEndpoint({
    operationId: 'CreateArticle',
    summary: 'Create an article',
    auth: 'required',
    body: 'NewArticleRequest',
    success: { status: 201, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 409, 422],
  })
  @HttpCode(HttpStatus.CREATED)
  @UseGuards(JwtAuthGuard)
  async create(@CurrentUser() author: AuthenticatedUser, @Body() body: CreateArticleBody) {
    return { article: toArticle(await this.articles.create(author.id, body)) };
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
    return { article: toArticle(await this.articles.findBySlug(slug, viewer?.id)) };
  }

  @Put(':slug')
  @ApiEndpoint({
    operationId: 'UpdateArticle',
    summary: 'Update an article',
    auth: 'required',
    body: 'UpdateArticleRequest',
    success: { status: 200, schema: 'SingleArticleResponse', description: 'Article' },
    errors: [401, 403, 404, 422],
  })
  @UseGuards(JwtAuthGuard)
  async update(@Param('slug') slug: string, @CurrentUser() user: AuthenticatedUser, @Body() body: UpdateArticleBody) {
    return { article: toArticle(await this.articles.update(slug, user.id, body)) };
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
    await this.articles.delete(slug, user.id);
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
    return { article: toArticle(await this.articles.favorite(slug, user.id)) };
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
    return { article: toArticle(await this.articles.unfavorite(slug, user.id)) };
  }
}
