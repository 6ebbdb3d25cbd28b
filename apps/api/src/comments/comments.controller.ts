/**
 * @roadmap apis.rest
 * Look at the nested resource: comments live under their article's URL.
 */
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { CommentsService, toComment } from './comments.service';
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
  async list(@Param('slug') slug: string, @CurrentUser() viewer?: AuthenticatedUser) {
    return { comments: (await this.comments.list(slug, viewer?.id)).map(toComment) };
  }

  @Post()
  @ApiEndpoint({
    operationId: 'CreateArticleComment',
    summary: 'Comment on an article',
    auth: 'required',
    body: 'NewCommentRequest',
    success: { status: 201, schema: 'SingleCommentResponse', description: 'Comment' },
    errors: [401, 404, 422],
  })
  @HttpCode(HttpStatus.CREATED)
  @UseGuards(JwtAuthGuard)
  async add(@Param('slug') slug: string, @CurrentUser() user: AuthenticatedUser, @Body() body: CreateCommentBody) {
    return { comment: toComment(await this.comments.add(slug, user.id, body.comment.body)) };
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
    await this.comments.delete(slug, id, user.id);
  }
}
