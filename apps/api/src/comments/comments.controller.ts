/**
 * @roadmap apis.rest
 * Look at the nested resource: comments live under their article's URL, and their list takes an
 * optional page (`limit`, `offset`) that spec clients may leave out.
 */
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { actorOf } from '../moderation/actor';
import { CommentPageQuery } from '../common/dto/page-query.dto';
import { COMMENT_PAGES, toPageRequest } from '../common/pagination';
import { presentCommentList, presentCommentResponse } from './comment.presenter';
import { CommentsService } from './comments.service';
import { CreateCommentBody } from './dto/comment-bodies.dto';

@ApiTags('Comments')
@Controller('articles/:slug/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetArticleComments',
    summary: 'Comments of an article, oldest first',
    auth: 'optional',
    success: { status: 200, schema: 'MultipleCommentsResponse', description: 'Comments' },
    errors: [401, 404, 422],
  })
  @UseGuards(OptionalJwtAuthGuard)
  async list(@Param('slug') slug: string, @Query() query: CommentPageQuery, @CurrentUser() viewer?: AuthenticatedUser) {
    return presentCommentList(await this.comments.list(slug, toPageRequest(query, COMMENT_PAGES), viewer?.id));
  }

  @Post()
  @ApiEndpoint({
    operationId: 'CreateArticleComment',
    summary: 'Comment on an article',
    auth: 'required',
    success: { status: 201, schema: 'SingleCommentResponse', description: 'Comment' },
    errors: [401, 404, 422],
  })
  @HttpCode(HttpStatus.CREATED)
  @UseGuards(JwtAuthGuard)
  async add(
    @Param('slug') slug: string,
    @CurrentUser() user: AuthenticatedUser,
    @Body() { comment }: CreateCommentBody,
  ) {
    return presentCommentResponse(await this.comments.add(slug, user.id, comment.body));
  }

  @Delete(':id')
  @ApiEndpoint({
    operationId: 'DeleteArticleComment',
    summary: 'Delete a comment',
    auth: 'required',
    success: { status: 204, description: 'No content' },
    errors: [401, 403, 404, 422],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  async delete(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    await this.comments.delete(slug, id, actorOf(user));
  }
}
