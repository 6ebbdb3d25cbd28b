/**
 * @roadmap databases.transactions, security.authorization, apis.pagination
 * Look at how an article and its tags are written in one transaction, how the owner check comes
 * after the existence check (404 before 403), and how the list counts all matches, not the page.
 * Every method takes and returns plain values, so REST, GraphQL and jobs all call the same rules.
 */
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@capstone/database';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import type { PageRequest } from '../common/pagination';
import { MESSAGES } from '../common/validation/messages';
import { translateDatabaseError } from '../database/database-errors';
import { PrismaService } from '../database/prisma.service';
import {
  normalizeTags,
  type Article,
  type ArticleChanges,
  type ArticleFilter,
  type ArticlePage,
  type NewArticle,
} from './article.model';
import { articleSelect, toArticle, toArticleSummary } from './article.queries';
import { isPossibleSlug, slugify, withRandomSuffix } from './slug';

const SLUG_ATTEMPTS = 3;

@Injectable()
export class ArticlesService {
  constructor(private readonly prisma: PrismaService) {}

  list(filter: ArticleFilter, page: PageRequest, viewerId?: number): Promise<ArticlePage> {
    return this.page(
      {
        ...(filter.tag !== undefined && { tags: { some: { tag: { name: filter.tag } } } }),
        ...(filter.author !== undefined && { author: { username: filter.author } }),
        ...(filter.favorited !== undefined && { favorites: { some: { user: { username: filter.favorited } } } }),
      },
      page,
      viewerId,
    );
  }

  /** Articles by the authors `viewerId` follows, newest first. */
  feed(page: PageRequest, viewerId: number): Promise<ArticlePage> {
    return this.page({ author: { followers: { some: { followerId: viewerId } } } }, page, viewerId);
  }

  async findBySlug(slug: string, viewerId?: number): Promise<Article> {
    const row = isPossibleSlug(slug)
      ? await this.prisma.article.findUnique({ where: { slug }, select: articleSelect(viewerId, true) })
      : null;
    if (!row) throw new NotFoundError('article');
    return toArticle(row);
  }

  async create(authorId: number, input: NewArticle): Promise<Article> {
    const tags = normalizeTags(input.tagList ?? []);
    assertNoBlankTag(tags);
    const base = slugify(input.title);
    for (let attempt = 1; ; attempt++) {
      const taken = await this.prisma.article.findUnique({ where: { slug: base }, select: { id: true } });
      const slug = taken ? withRandomSuffix(base) : base;
      try {
        return await this.prisma.$transaction(async (tx) => {
          const { id } = await tx.article.create({
            data: { slug, title: input.title, description: input.description, body: input.body, authorId },
            select: { id: true },
          });
          await replaceTags(tx, id, tags);
          return toArticle(
            await tx.article.findUniqueOrThrow({ where: { id }, select: articleSelect(authorId, true) }),
          );
        });
      } catch (error) {
        // Another request took the same slug between our check and our insert: try another.
        const conflict = translateDatabaseError(error);
        if (conflict instanceof ConflictError && 'slug' in conflict.details && attempt < SLUG_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Changes only the fields sent. The slug stays stable so links keep working after a retitle. */
  async update(slug: string, userId: number, changes: ArticleChanges): Promise<Article> {
    const { id } = await this.findOwned(slug, userId);
    const sent = Object.values(changes).some((value) => value !== undefined);
    if (!sent) throw new InvalidInputError({ article: [MESSAGES.nothingToChange] });
    const tags = changes.tagList === undefined ? undefined : normalizeTags(changes.tagList);
    if (tags) assertNoBlankTag(tags);
    return this.prisma.$transaction(async (tx) => {
      await tx.article.update({
        where: { id },
        // Set explicitly so that a change of tags alone also moves updatedAt.
        data: { title: changes.title, description: changes.description, body: changes.body, updatedAt: new Date() },
      });
      if (tags !== undefined) await replaceTags(tx, id, tags);
      return toArticle(await tx.article.findUniqueOrThrow({ where: { id }, select: articleSelect(userId, true) }));
    });
  }

  async delete(slug: string, userId: number): Promise<void> {
    const { id } = await this.findOwned(slug, userId);
    await this.prisma.article.delete({ where: { id } });
  }

  /** Idempotent: favoriting twice counts once. */
  async favorite(slug: string, userId: number): Promise<Article> {
    const { id } = await this.findId(slug);
    await this.prisma.favorite.createMany({ data: [{ userId, articleId: id }], skipDuplicates: true });
    return this.findBySlug(slug, userId);
  }

  async unfavorite(slug: string, userId: number): Promise<Article> {
    const { id } = await this.findId(slug);
    await this.prisma.favorite.deleteMany({ where: { userId, articleId: id } });
    return this.findBySlug(slug, userId);
  }

  /** A count and one query per relation loaded, whatever the page size. */
  private async page(where: Prisma.ArticleWhereInput, page: PageRequest, viewerId?: number): Promise<ArticlePage> {
    const [articlesCount, rows] = await this.prisma.$transaction([
      this.prisma.article.count({ where }),
      this.prisma.article.findMany({
        where,
        select: articleSelect(viewerId, false),
        // id breaks ties between articles created in the same millisecond, so pages never overlap.
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: page.limit,
        skip: page.offset,
      }),
    ]);
    return { articles: rows.map(toArticleSummary), articlesCount };
  }

  /** 404 when there is no such article, 403 when it belongs to someone else. */
  private async findOwned(slug: string, userId: number): Promise<{ id: number }> {
    const article = await this.findId(slug);
    if (article.authorId !== userId) throw new ForbiddenError('article');
    return article;
  }

  private async findId(slug: string): Promise<{ id: number; authorId: number }> {
    const article = isPossibleSlug(slug)
      ? await this.prisma.article.findUnique({ where: { slug }, select: { id: true, authorId: true } })
      : null;
    if (!article) throw new NotFoundError('article');
    return article;
  }
}

/** A tag of spaces only is blank once trimmed: refused, whichever transport sent it. */
function assertNoBlankTag(tags: string[]): void {
  if (tags.includes('')) throw new InvalidInputError({ tagList: [MESSAGES.blankListItem] });
}

/** Makes the article's tags exactly `names`, in that order. */
async function replaceTags(tx: Prisma.TransactionClient, articleId: number, names: string[]): Promise<void> {
  await tx.articleTag.deleteMany({ where: { articleId } });
  if (names.length === 0) return;
  await tx.tag.createMany({ data: names.map((name) => ({ name })), skipDuplicates: true });
  const tags = await tx.tag.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
  const idByName = new Map(tags.map((tag) => [tag.name, tag.id]));
  await tx.articleTag.createMany({
    data: names.map((name, position) => ({ articleId, tagId: idByName.get(name)!, position })),
  });
}
