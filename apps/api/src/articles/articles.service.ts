/**
 * @roadmap databases.transactions, security.authorization, apis.pagination, caching.server-side
 * Look at how an article, its tags and the event others react to (the outbox row) are written in
 * one Prisma transaction, how the owner check comes after the existence check (404 before 403),
 * and how reads go: the part every reader shares
 * is read with one hand-written SQL statement (article.sql.ts) and cached, the reader's own
 * `favorited`/`following` is added per request, and every write invalidates what it changed right
 * after it commits. Every method takes and returns plain values, so REST, GraphQL and jobs all
 * call the same rules.
 */
import { Injectable } from '@nestjs/common';
import { ReadThroughCache } from '@capstone/cache';
import { outboxRow } from '@capstone/jobs';
import type { Prisma } from '@capstone/database';
import { ARTICLES, articleVersion, PROFILES, TAGS } from '../cache/cache-versions';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import type { PageRequest } from '../common/pagination';
import { MESSAGES } from '../common/validation/messages';
import { translateDatabaseError } from '../database/database-errors';
import { PrismaService } from '../database/prisma.service';
import { ReplicaReads } from '../database/replica-reads';
import { Sql } from '../database/sql';
import { ViewerRelations } from '../profiles/viewer-relations';
import { LiveUpdates } from '../live/live-updates';
import type { Actor } from '../moderation/actor';
import {
  normalizeTags,
  type Article,
  type ArticleChanges,
  type ArticleFilter,
  type ArticlePage,
  type NewArticle,
} from './article.model';
import { selectArticleBySlug, selectArticlePage } from './article.sql';
import { isPossibleSlug, slugify, withRandomSuffix } from './slug';

const SLUG_ATTEMPTS = 3;

@Injectable()
export class ArticlesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly viewer: ViewerRelations,
    private readonly cache: ReadThroughCache,
    private readonly live: LiveUpdates,
    private readonly replica: ReplicaReads,
  ) {}

  async list(filter: ArticleFilter, page: PageRequest, viewerId?: number): Promise<ArticlePage> {
    const { tag, author, favorited } = filter;
    const shared = await this.cache.remember({
      // Usernames compare ignoring case (citext): one entry for ?author=Jake and ?author=jake.
      key: `list:${JSON.stringify([tag, author?.toLowerCase(), favorited?.toLowerCase(), page.limit, page.offset])}`,
      // Any article written or favorited, or any profile edited, may change any page.
      dependsOn: [ARTICLES, PROFILES],
      // Shared by every reader: from the replica only if it has every write made so far.
      load: async () => selectArticlePage(await this.replica.forSharedCache(), { tag, author, favorited }, page),
    });
    return {
      articles: await this.viewer.withArticleState(shared.articles, viewerId),
      articlesCount: shared.articlesCount,
    };
  }

  /**
   * The bodies of several articles in one statement. Lists leave the body out (most list views
   * never show it); a GraphQL client that asks for it gets it through a per-request batch.
   */
  async bodiesOf(articleIds: readonly number[]): Promise<Map<number, string>> {
    const rows = await this.prisma.article.findMany({
      where: { id: { in: [...new Set(articleIds)] } },
      select: { id: true, body: true },
    });
    return new Map(rows.map((row) => [row.id, row.body]));
  }

  /** Articles by the authors `viewerId` follows, newest first. Personal, so never cached. */
  async feed(page: PageRequest, viewerId: number): Promise<ArticlePage> {
    // Lag-tolerant (other people's articles), except for the viewer's own follows and writes.
    const shared = await selectArticlePage(this.replica.forActor(viewerId), { followedBy: viewerId }, page);
    return {
      articles: await this.viewer.withArticleState(shared.articles, viewerId),
      articlesCount: shared.articlesCount,
    };
  }

  async findBySlug(slug: string, viewerId?: number): Promise<Article> {
    if (!isPossibleSlug(slug)) throw new NotFoundError('article');
    const shared = await this.cache.remember({
      key: `article:${slug}`,
      dependsOn: [articleVersion(slug), PROFILES],
      // Not found is thrown, so it is never cached: an article created later is found at once.
      load: async () => {
        const article = await selectArticleBySlug(this.sql, slug);
        if (!article) throw new NotFoundError('article');
        return article;
      },
    });
    const [article] = await this.viewer.withArticleState([shared], viewerId);
    return article;
  }

  async create(authorId: number, input: NewArticle): Promise<Article> {
    const tags = normalizeTags(input.tagList ?? []);
    assertNoBlankTag(tags);
    const base = slugify(input.title);
    for (let attempt = 1; ; attempt++) {
      const taken = await this.prisma.article.findUnique({ where: { slug: base }, select: { id: true } });
      const slug = taken ? withRandomSuffix(base) : base;
      try {
        await this.prisma.$transaction(async (tx) => {
          const { id } = await tx.article.create({
            data: { slug, title: input.title, description: input.description, body: input.body, authorId },
            select: { id: true },
          });
          await replaceTags(tx, id, tags);
          // In the same transaction: the article exists if and only if its event does.
          await tx.outboxEvent.create({ data: outboxRow({ type: 'article.published', articleId: id }) });
        });
      } catch (error) {
        // Another request took the same slug between our check and our insert: try another.
        const conflict = translateDatabaseError(error);
        if (conflict instanceof ConflictError && 'slug' in conflict.details && attempt < SLUG_ATTEMPTS) continue;
        throw error;
      }
      await Promise.all([this.cache.invalidate(articleVersion(slug), ARTICLES, TAGS), this.replica.wrote(authorId)]);
      const article = await this.findBySlug(slug, authorId);
      this.live.articlePublished(article);
      return article;
    }
  }

  /** Changes only the fields sent. The slug stays stable so links keep working after a retitle. */
  async update(slug: string, userId: number, changes: ArticleChanges): Promise<Article> {
    const { id } = await this.findOwned(slug, userId);
    const sent = Object.values(changes).some((value) => value !== undefined);
    if (!sent) throw new InvalidInputError({ article: [MESSAGES.nothingToChange] });
    const tags = changes.tagList === undefined ? undefined : normalizeTags(changes.tagList);
    if (tags) assertNoBlankTag(tags);
    await this.prisma.$transaction(async (tx) => {
      await tx.article.update({
        where: { id },
        // Set explicitly so that a change of tags alone also moves updatedAt.
        data: { title: changes.title, description: changes.description, body: changes.body, updatedAt: new Date() },
      });
      if (tags !== undefined) await replaceTags(tx, id, tags);
      await tx.outboxEvent.create({ data: outboxRow({ type: 'article.updated', articleId: id }) });
    });
    await Promise.all([
      this.cache.invalidate(articleVersion(slug), ARTICLES, ...(tags === undefined ? [] : [TAGS])),
      this.replica.wrote(userId),
    ]);
    return this.findBySlug(slug, userId);
  }

  /** The author may delete their article; so may an admin (moderation). 404 before 403. */
  async delete(slug: string, actor: Actor): Promise<void> {
    const { id, authorId } = await this.findId(slug);
    if (authorId !== actor.id && actor.role !== 'admin') throw new ForbiddenError('article');
    await this.prisma.$transaction([
      this.prisma.article.delete({ where: { id } }),
      this.prisma.outboxEvent.create({ data: outboxRow({ type: 'article.deleted', articleId: id }) }),
    ]);
    await Promise.all([this.cache.invalidate(articleVersion(slug), ARTICLES, TAGS), this.replica.wrote(actor.id)]);
  }

  /** Idempotent: favoriting twice counts once (and invalidates nothing the second time). */
  async favorite(slug: string, userId: number): Promise<Article> {
    const { id } = await this.findId(slug);
    const { count } = await this.prisma.favorite.createMany({
      data: [{ userId, articleId: id }],
      skipDuplicates: true,
    });
    if (count > 0)
      await Promise.all([this.cache.invalidate(articleVersion(slug), ARTICLES), this.replica.wrote(userId)]);
    return this.findBySlug(slug, userId);
  }

  async unfavorite(slug: string, userId: number): Promise<Article> {
    const { id } = await this.findId(slug);
    const { count } = await this.prisma.favorite.deleteMany({ where: { userId, articleId: id } });
    if (count > 0)
      await Promise.all([this.cache.invalidate(articleVersion(slug), ARTICLES), this.replica.wrote(userId)]);
    return this.findBySlug(slug, userId);
  }

  /**
   * 404 when there is no such article, 403 when it belongs to someone else: an admin too, since
   * moderation is deletion, never putting words in someone else's article.
   */
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
