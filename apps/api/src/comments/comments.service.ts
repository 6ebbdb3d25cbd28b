/**
 * @roadmap security.authorization
 * Look at the order of checks when deleting: the article must exist (404), the comment must
 * belong to it (404), and only its author may delete it (403).
 */
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@capstone/database';
import { ApiError } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { profileSelect, toProfile } from '../profiles/profile.presenter';

function commentSelect(viewerId: number | undefined) {
  return {
    id: true,
    body: true,
    createdAt: true,
    updatedAt: true,
    author: { select: profileSelect(viewerId) },
  } satisfies Prisma.CommentSelect;
}

type LoadedComment = Prisma.CommentGetPayload<{ select: ReturnType<typeof commentSelect> }>;

/** The spec's Comment. */
export function toComment(comment: LoadedComment) {
  return {
    id: comment.id,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    body: comment.body,
    author: toProfile(comment.author),
  };
}

@Injectable()
export class CommentsService {
  constructor(private readonly prisma: PrismaService) {}

  /** Oldest first, so a thread reads top to bottom. */
  async list(slug: string, viewerId?: number): Promise<LoadedComment[]> {
    const articleId = await this.articleIdOf(slug);
    return this.prisma.comment.findMany({
      where: { articleId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: commentSelect(viewerId),
    });
  }

  async add(slug: string, authorId: number, body: string): Promise<LoadedComment> {
    const articleId = await this.articleIdOf(slug);
    return this.prisma.comment.create({ data: { articleId, authorId, body }, select: commentSelect(authorId) });
  }

  async delete(slug: string, rawId: string, userId: number): Promise<void> {
    const articleId = await this.articleIdOf(slug);
    // A non-numeric id names no comment: 404, like any other id that does not exist.
    const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : undefined;
    const comment = id
      ? await this.prisma.comment.findFirst({ where: { id, articleId }, select: { id: true, authorId: true } })
      : null;
    if (!comment) throw ApiError.notFound('comment');
    if (comment.authorId !== userId) throw ApiError.forbidden('comment');
    await this.prisma.comment.delete({ where: { id: comment.id } });
  }

  private async articleIdOf(slug: string): Promise<number> {
    const article = await this.prisma.article.findUnique({ where: { slug }, select: { id: true } });
    if (!article) throw ApiError.notFound('article');
    return article.id;
  }
}
