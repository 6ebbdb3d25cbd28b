/**
 * @roadmap apis.graphql, realtime.websockets, messaging.pub-sub
 * Look at the comment operations calling CommentsService as the REST controller does, and at
 * `commentAdded`: a WebSocket subscription fed by Redis pub/sub, so a comment posted through any
 * API instance (REST or GraphQL) reaches subscribers connected to every instance.
 */
import { UseGuards } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { mappingErrors } from '../graphql/graphql-errors';
import { Args, Context, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ArticlesService } from '../articles/articles.service';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { actorOf } from '../moderation/actor';
import { COMMENT_PAGES } from '../common/pagination';
import type { GraphqlContext } from '../graphql/graphql-context';
import { perItemComplexity } from '../graphql/query-limits';
import { fromWire, LiveUpdates, type CommentAddedEvent } from '../live/live-updates';
import type { Comment } from './comment.model';
import { CommentType } from './comment.type';
import { CommentsService } from './comments.service';
import { NewCommentDto } from './dto/comment-bodies.dto';

@Resolver(() => CommentType)
export class CommentsResolver {
  private readonly errorOptions: { development: boolean };

  constructor(
    private readonly commentService: CommentsService,
    private readonly articleService: ArticlesService,
    private readonly live: LiveUpdates,
    config: AppConfig,
  ) {
    this.errorOptions = { development: config.nodeEnv === 'development' };
  }

  @Query(() => [CommentType], {
    description: `An article's comments, oldest first (the first ${COMMENT_PAGES.defaultLimit}).`,
    complexity: perItemComplexity(COMMENT_PAGES.defaultLimit),
  })
  @UseGuards(OptionalJwtAuthGuard)
  comments(@Args('articleSlug') slug: string, @CurrentUser() viewer?: AuthenticatedUser): Promise<Comment[]> {
    return this.commentService.list(slug, { limit: COMMENT_PAGES.defaultLimit, offset: 0 }, viewer?.id);
  }

  @Mutation(() => CommentType)
  @UseGuards(JwtAuthGuard)
  addComment(
    @Args('articleSlug') slug: string,
    @Args('input') input: NewCommentDto,
    @CurrentUser() author: AuthenticatedUser,
  ): Promise<Comment> {
    return this.commentService.add(slug, author.id, input.body);
  }

  @Mutation(() => Boolean, { description: 'True once the comment is deleted.' })
  @UseGuards(JwtAuthGuard)
  async deleteComment(
    @Args('articleSlug') slug: string,
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: AuthenticatedUser,
  ): Promise<boolean> {
    await this.commentService.delete(slug, id, actorOf(viewer));
    return true;
  }

  @Subscription(() => CommentType, {
    description: 'Comments on one article as they are posted, through any API instance.',
    resolve: (event: CommentAddedEvent): Comment => fromWire(event.comment),
  })
  commentAdded(@Args('articleSlug') slug: string, @Context() context: GraphqlContext) {
    return mappingErrors(async () => {
      await this.articleService.findBySlug(slug); // NOT_FOUND for an article that does not exist
      return context.pubsub.subscribe(this.live.commentAddedTopic(slug));
    }, this.errorOptions);
  }
}
