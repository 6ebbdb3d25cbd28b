/**
 * @roadmap security.authorization, apis.pagination
 * Look at the order of checks when deleting: the article must exist (404), the comment must
 * belong to it (404), and only its author or an admin (moderation) may delete it (403); and at
 * the bounded list, which never returns more than a page of comments however long the thread.
 */
import { Injectable } from '@nestjs/common';
import { outboxRow } from '@capstone/jobs';
import { ForbiddenError, NotFoundError } from '../common/errors/domain-errors';
import type { PageRequest } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { Sql } from '../database/sql';
import { isPossibleSlug } from '../articles/slug';
import type { Comment } from './comment.model';
import { commentSelect, toComment } from './comment.queries';
import { ViewerRelations } from '../profiles/viewer-relations';
import { LiveUpdates } from '../live/live-updates';
import type { Actor } from '../moderation/actor';

/** Comment ids are Postgres `integer`s. */
const MAX_COMMENT_ID = 2_147_483_647;

@Injectable()
export class CommentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly viewer: ViewerRelations,
    private readonly live: LiveUpdates,
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

  /**
   * The first `perArticle` comments (oldest first) of each article, for many articles at once:
   * one statement for the comments with their authors, one for the viewer's follows. A GraphQL
   * list of 50 articles with their comments costs these two, not 50 x 3 (see request-loaders.ts).
   */
  async firstOfEach(
    articleIds: readonly number[],
    perArticle: number,
    viewerId?: number,
  ): Promise<Map<number, Comment[]>> {
    const rows = await this.sql.rows<CommentWithArticleRow>(
      `SELECT c.id, c.article_id, c.body, c.created_at, c.updated_at,
              u.id AS author_id, u.username, u.bio, u.image
         FROM (SELECT id, article_id, author_id, body, created_at, updated_at,
                      row_number() OVER (PARTITION BY article_id ORDER BY created_at, id) AS position
                 FROM comments WHERE article_id = ANY($1::int[])) c
         JOIN users u ON u.id = c.author_id
        WHERE c.position <= $2
        ORDER BY c.article_id, c.position`,
      [[...new Set(articleIds)], perArticle],
    );
    const comments = rows.map((row) => ({
      articleId: row.article_id,
      comment: {
        id: row.id,
        body: row.body,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        author: { id: row.author_id, username: row.username, bio: row.bio, image: row.image, following: false },
      } satisfies Comment,
    }));
    const authors = await this.viewer.withFollowing(
      comments.map(({ comment }) => comment.author),
      viewerId,
    );
    const byArticle = new Map<number, Comment[]>(articleIds.map((id) => [id, []]));
    comments.forEach(({ articleId, comment }, index) =>
      byArticle.get(articleId)?.push({ ...comment, author: authors[index] }),
    );
    return byArticle;
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
    const comment = toComment(row);
    this.live.commentAdded(slug, comment);
    return comment;
  }

  /**
   * `commentId` as a URL or a GraphQL ID carries it: text that does not name a comment is a 404.
   * Its author may delete it, and so may an admin (moderation).
   */
  async delete(slug: string, commentId: string | number, actor: Actor): Promise<void> {
    const articleId = await this.articleIdOf(slug);
    const id = parseCommentId(commentId);
    const comment =
      id === undefined
        ? null
        : await this.prisma.comment.findFirst({ where: { id, articleId }, select: { id: true, authorId: true } });
    if (!comment) throw new NotFoundError('comment');
    // Its author, or an admin moderating: nobody else.
    if (comment.authorId !== actor.id && actor.role !== 'admin') throw new ForbiddenError('comment');
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

interface CommentWithArticleRow {
  id: number;
  article_id: number;
  body: string;
  created_at: Date;
  updated_at: Date;
  author_id: number;
  username: string;
  bio: string | null;
  image: string | null;
}

function parseCommentId(value: string | number): number | undefined {
  const id = typeof value === 'number' ? value : /^[1-9]\d{0,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_COMMENT_ID ? id : undefined;
}
