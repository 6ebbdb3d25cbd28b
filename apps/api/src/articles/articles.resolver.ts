/**
 * @roadmap apis.graphql, realtime.websockets, databases.n-plus-one
 * Look at how thin a resolver is: the same guards and the same ArticlesService calls as
 * articles.controller.ts, with GraphQL's shapes around them (a connection for lists, booleans for
 * deletes); at `body` and `comments`, loaded through per-request DataLoaders; and at
 * `articlePublished`, a subscription that only delivers articles by authors the subscriber follows.
 */
import { UseGuards } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { mappingErrors } from '../graphql/graphql-errors';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { actorOf } from '../moderation/actor';
import { CommentType } from '../comments/comment.type';
import type { Comment } from '../comments/comment.model';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { ARTICLE_PAGES } from '../common/pagination';
import { pageFromArgs, toConnection, type Connection } from '../graphql/connection';
import type { GraphqlContext } from '../graphql/graphql-context';
import { perItemComplexity } from '../graphql/query-limits';
import { fromWire, LiveUpdates, type ArticlePublishedEvent } from '../live/live-updates';
import { ViewerRelations } from '../profiles/viewer-relations';
import type { Article, ArticleSummary } from './article.model';
import { ArticleConnection, ArticleType } from './article.type';
import { ArticlesService } from './articles.service';
import { ArticleFilterInput, NewArticleDto, UpdateArticleDto } from './dto/article-bodies.dto';

/** Comments shown under each article of a list unless `first` says otherwise. */
const COMMENTS_PER_ARTICLE = 10;
const MAX_COMMENTS_PER_ARTICLE = 50;

@Resolver(() => ArticleType)
export class ArticlesResolver {
  private readonly errorOptions: { development: boolean };

  constructor(
    private readonly articleService: ArticlesService,
    private readonly live: LiveUpdates,
    config: AppConfig,
    private readonly viewerRelations: ViewerRelations,
  ) {
    this.errorOptions = { development: config.nodeEnv === 'development' };
  }

  @Query(() => ArticleType)
  @UseGuards(OptionalJwtAuthGuard)
  article(@Args('slug') slug: string, @CurrentUser() viewer?: AuthenticatedUser): Promise<Article> {
    return this.articleService.findBySlug(slug, viewer?.id);
  }

  @Query(() => ArticleConnection, {
    description: 'All articles, newest first, optionally filtered.',
    complexity: perItemComplexity(ARTICLE_PAGES.defaultLimit),
  })
  @UseGuards(OptionalJwtAuthGuard)
  async articles(
    @Args('filter', { type: () => ArticleFilterInput, nullable: true }) filter: ArticleFilterInput | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @CurrentUser() viewer?: AuthenticatedUser,
  ): Promise<Connection<ArticleSummary>> {
    const page = pageFromArgs({ first, after }, ARTICLE_PAGES);
    const { tag, author, favorited } = filter ?? {};
    const result = await this.articleService.list({ tag, author, favorited }, page, viewer?.id);
    return toConnection(result.articles, result.articlesCount, page);
  }

  @Query(() => ArticleConnection, {
    description: 'Articles by the authors the viewer follows, newest first.',
    complexity: perItemComplexity(ARTICLE_PAGES.defaultLimit),
  })
  @UseGuards(JwtAuthGuard)
  async feed(
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @CurrentUser() viewer: AuthenticatedUser,
  ): Promise<Connection<ArticleSummary>> {
    const page = pageFromArgs({ first, after }, ARTICLE_PAGES);
    const result = await this.articleService.feed(page, viewer.id);
    return toConnection(result.articles, result.articlesCount, page);
  }

  @Mutation(() => ArticleType)
  @UseGuards(JwtAuthGuard)
  createArticle(@Args('input') input: NewArticleDto, @CurrentUser() author: AuthenticatedUser): Promise<Article> {
    return this.articleService.create(author.id, input);
  }

  @Mutation(() => ArticleType)
  @UseGuards(JwtAuthGuard)
  updateArticle(
    @Args('slug') slug: string,
    @Args('input') input: UpdateArticleDto,
    @CurrentUser() viewer: AuthenticatedUser,
  ): Promise<Article> {
    return this.articleService.update(slug, viewer.id, input);
  }

  @Mutation(() => Boolean, { description: 'True once the article is deleted.' })
  @UseGuards(JwtAuthGuard)
  async deleteArticle(@Args('slug') slug: string, @CurrentUser() viewer: AuthenticatedUser): Promise<boolean> {
    await this.articleService.delete(slug, actorOf(viewer));
    return true;
  }

  @Mutation(() => ArticleType)
  @UseGuards(JwtAuthGuard)
  favoriteArticle(@Args('slug') slug: string, @CurrentUser() viewer: AuthenticatedUser): Promise<Article> {
    return this.articleService.favorite(slug, viewer.id);
  }

  @Mutation(() => ArticleType)
  @UseGuards(JwtAuthGuard)
  unfavoriteArticle(@Args('slug') slug: string, @CurrentUser() viewer: AuthenticatedUser): Promise<Article> {
    return this.articleService.unfavorite(slug, viewer.id);
  }

  /** Present on a single article; lists leave it out, so one batched statement loads a page's bodies. */
  @ResolveField(() => String)
  body(@Parent() article: ArticleSummary & { body?: string }, @Context() context: GraphqlContext): Promise<string> {
    return article.body !== undefined ? Promise.resolve(article.body) : context.loaders.articleBody.load(article.id);
  }

  @ResolveField(() => [CommentType], {
    description: `The first comments, oldest first (default ${COMMENTS_PER_ARTICLE}, at most ${MAX_COMMENTS_PER_ARTICLE}).`,
    complexity: perItemComplexity(COMMENTS_PER_ARTICLE),
  })
  comments(
    @Parent() article: ArticleSummary,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Context() context: GraphqlContext,
  ): Promise<Comment[]> {
    const { limit } = pageFromArgs(
      { first },
      { defaultLimit: COMMENTS_PER_ARTICLE, maxLimit: MAX_COMMENTS_PER_ARTICLE, maxOffset: 0 },
    );
    return context.loaders.firstComments.load({ articleId: article.id, first: limit });
  }

  @Subscription(() => ArticleType, {
    description: 'Articles as they are published by authors the subscriber follows. Needs a token.',
    filter(this: ArticlesResolver, event: ArticlePublishedEvent, _args: unknown, context: GraphqlContext) {
      return this.follows(context.req.user, event.authorId);
    },
    resolve: (event: ArticlePublishedEvent): Article => ({
      ...fromWire(event.article),
      // By definition the subscriber follows the author; a new article has no favorites yet.
      author: { ...event.article.author, following: true },
    }),
  })
  articlePublished(@CurrentUser() viewer: AuthenticatedUser | undefined, @Context() context: GraphqlContext) {
    return mappingErrors(async () => {
      if (!viewer) throw UnauthenticatedError.token('is missing');
      return context.pubsub.subscribe(this.live.articlePublishedTopic());
    }, this.errorOptions);
  }

  private async follows(viewer: AuthenticatedUser | undefined, authorId: number): Promise<boolean> {
    if (!viewer) return false;
    const { followed } = await this.viewerRelations.relationsTo([], [authorId], viewer.id);
    return followed.has(authorId);
  }
}
