/**
 * @roadmap security.authorization, apis.pagination
 * Look at the order of checks when deleting: the article must exist (404), the comment must
 * belong to it (404), and only its author may delete it (403); and at the bounded list, which
 * never returns more than a page of comments however long the thread.
 */
import { Injectable } from '@nestjs/common';
import { outboxRow } from '@capstone/jobs';
import { ForbiddenError, NotFoundError } from '../common/errors/domain-errors';
import type { PageRequest } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { isPossibleSlug } from '../articles/slug';
import type { Comment } from './comment.model';
import { commentSelect, toComment } from './comment.queries';
import { ViewerRelations } from '../profiles/viewer-relations';

/** Comment ids are Postgres `integer`s. */
const MAX_COMMENT_ID = 2_147_483_647;

@Injectable()
export class CommentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly viewer: ViewerRelations,
  ) {}

  /** Oldest first, so a thread reads top to bottom. */
  async list(slug: string, page: PageRequest, viewerId?: number): Promise<Comment[]> {
    const articleId = await this.articleIdOf(slug);
    const rows = await this.prisma.comment.findMany({
      where: { articleId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: commentSelect(),
      take: page.limit,
      skip: page.offset,
    });
    const comments = rows.map(toComment);
    const authors = await this.viewer.withFollowing(
      comments.map((comment) => comment.author),
      viewerId,
    );
    return comments.map((comment, index) => ({ ...comment, author: authors[index] }));
  }

  async add(slug: string, authorId: number, body: string): Promise<Comment> {
    const articleId = await this.articleIdOf(slug);
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await tx.comment.create({ data: { articleId, authorId, body }, select: commentSelect() });
      // The article's author is told by the worker: the event commits with the comment, or neither does.
      await tx.outboxEvent.create({ data: outboxRow({ type: 'comment.added', commentId: created.id, articleId }) });
      return created;
    });
    // The author of a new comment is the viewer, who cannot follow themselves.
    return toComment(row);
  }

  /** `commentId` as a URL or a GraphQL ID carries it: text that does not name a comment is a 404. */
  async delete(slug: string, commentId: string | number, userId: number): Promise<void> {
    const articleId = await this.articleIdOf(slug);
    const id = parseCommentId(commentId);
    const comment =
      id === undefined
        ? null
        : await this.prisma.comment.findFirst({ where: { id, articleId }, select: { id: true, authorId: true } });
    if (!comment) throw new NotFoundError('comment');
    if (comment.authorId !== userId) throw new ForbiddenError('comment');
    await this.prisma.comment.delete({ where: { id: comment.id } });
  }

  private async articleIdOf(slug: string): Promise<number> {
    const article = isPossibleSlug(slug)
      ? await this.prisma.article.findUnique({ where: { slug }, select: { id: true } })
      : null;
    if (!article) throw new NotFoundError('article');
    return article.id;
  }
}

function parseCommentId(value: string | number): number | undefined {
  const id = typeof value === 'number' ? value : /^[1-9]\d{0,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_COMMENT_ID ? id : undefined;
}
