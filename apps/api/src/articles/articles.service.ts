/**
 * @roadmap databases.transactions, security.authorization, apis.pagination
 * Look at how an article and its tags are written in one transaction, how the owner check comes
 * after the existence check (404 before 403), and how the list counts all matches, not the page.
 */
import { Injectable } from '@nestjs/common';
import { Prisma } from '@capstone/database';
import { ApiError } from '../common/api-error';
import { uniqueViolationField } from '../common/unique-violation';
import { PrismaService } from '../database/prisma.service';
import { articleSelect, type LoadedArticle } from './article.presenter';
import {
  DEFAULT_PAGE_SIZE,
  type CreateArticleBody,
  type ListArticlesQuery,
  type PageQuery,
  type UpdateArticleBody,
} from './dto/article-bodies.dto';
import { slugify, withRandomSuffix } from './slug';

const SLUG_ATTEMPTS = 3;

export interface ArticlePage {
  articles: LoadedArticle[];
  /** All articles matching the filter, not just this page. */
  articlesCount: number;
}

@Injectable()
export class ArticlesService {
  constructor(private readonly prisma: PrismaService) {}

  list(query: ListArticlesQuery, viewerId?: number): Promise<ArticlePage> {
    return this.page(
      {
        ...(query.tag !== undefined && { tags: { some: { tag: { name: query.tag } } } }),
        ...(query.author !== undefined && { author: { username: query.author } }),
        ...(query.favorited !== undefined && { favorites: { some: { user: { username: query.favorited } } } }),
      },
      query,
      viewerId,
    );
  }

  /** Articles by the authors `viewerId` follows, newest first. */
  feed(query: PageQuery, viewerId: number): Promise<ArticlePage> {
    return this.page({ author: { followers: { some: { followerId: viewerId } } } }, query, viewerId);
  }

  /** Two statements per relation loaded, whatever the page size: a count and one query each. */
  private async page(where: Prisma.ArticleWhereInput, query: PageQuery, viewerId?: number): Promise<ArticlePage> {
    const [articlesCount, articles] = await this.prisma.$transaction([
      this.prisma.article.count({ where }),
      this.prisma.article.findMany({
        where,
        select: articleSelect(viewerId, false),
        // id breaks ties between articles created in the same millisecond, so pages never overlap.
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit ?? DEFAULT_PAGE_SIZE,
        skip: query.offset ?? 0,
      }),
    ]);
    return { articles, articlesCount };
  }

  async findBySlug(slug: string, viewerId?: number): Promise<LoadedArticle> {
    const article = await this.prisma.article.findUnique({ where: { slug }, select: articleSelect(viewerId, true) });
    if (!article) throw ApiError.notFound('article');
    return article;
  }

  async create(authorId: number, { article }: CreateArticleBody): Promise<LoadedArticle> {
    const base = slugify(article.title);
    for (let attempt = 1; ; attempt++) {
      const taken = await this.prisma.article.findUnique({ where: { slug: base }, select: { id: true } });
      const slug = taken ? withRandomSuffix(base) : base;
      try {
        return await this.prisma.$transaction(async (tx) => {
          const created = await tx.article.create({
            data: { slug, title: article.title, description: article.description, body: article.body, authorId },
            select: { id: true },
          });
          await replaceTags(tx, created.id, article.tagList ?? []);
          return tx.article.findUniqueOrThrow({ where: { id: created.id }, select: articleSelect(authorId, true) });
        });
      } catch (error) {
        // Another request took the same slug between our check and our insert: try another.
        if (isUniqueViolation(error) && attempt < SLUG_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** Changes only the fields sent. The slug stays stable so links keep working after a retitle. */
  async update(slug: string, userId: number, { article: changes }: UpdateArticleBody): Promise<LoadedArticle> {
    const { id } = await this.findOwned(slug, userId);
    const sent = Object.values(changes).some((value) => value !== undefined);
    if (!sent) throw ApiError.unprocessable({ article: ['must contain at least one field to change'] });
    return this.prisma.$transaction(async (tx) => {
      await tx.article.update({
        where: { id },
        // Set explicitly so that a change of tags alone also moves updatedAt.
        data: { title: changes.title, description: changes.description, body: changes.body, updatedAt: new Date() },
      });
      if (changes.tagList !== undefined) await replaceTags(tx, id, changes.tagList);
      return tx.article.findUniqueOrThrow({ where: { id }, select: articleSelect(userId, true) });
    });
  }

  /** Idempotent: favoriting twice counts once. */
  async favorite(slug: string, userId: number): Promise<LoadedArticle> {
    const { id } = await this.findId(slug);
    await this.prisma.favorite.createMany({ data: [{ userId, articleId: id }], skipDuplicates: true });
    return this.findBySlug(slug, userId);
  }

  async unfavorite(slug: string, userId: number): Promise<LoadedArticle> {
    const { id } = await this.findId(slug);
    await this.prisma.favorite.deleteMany({ where: { userId, articleId: id } });
    return this.findBySlug(slug, userId);
  }

  async delete(slug: string, userId: number): Promise<void> {
    const { id } = await this.findOwned(slug, userId);
    await this.prisma.article.delete({ where: { id } });
  }

  /** 404 when there is no such article, 403 when it belongs to someone else. */
  private async findOwned(slug: string, userId: number): Promise<{ id: number }> {
    const article = await this.findId(slug);
    if (article.authorId !== userId) throw ApiError.forbidden('article');
    return article;
  }

  private async findId(slug: string): Promise<{ id: number; authorId: number }> {
    const article = await this.prisma.article.findUnique({ where: { slug }, select: { id: true, authorId: true } });
    if (!article) throw ApiError.notFound('article');
    return article;
  }
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

function isUniqueViolation(error: unknown): boolean {
  return uniqueViolationField(error) !== undefined;
}
