/**
 * @roadmap databases.orm, databases.n-plus-one
 * Look at the select: everything one article needs (author and whether the viewer follows them,
 * tags in order, whether the viewer favorited it, the favorites count) comes from one Prisma query
 * per relation, whatever the page size, and is turned into a domain `Article` in one place.
 */
import type { Prisma } from '@capstone/database';
import { profileSelect, toProfile } from '../profiles/profile.queries';
import type { Article, ArticleSummary } from './article.model';

/** What to load for an article seen by `viewerId` (undefined for an anonymous reader). */
export function articleSelect<WithBody extends boolean>(viewerId: number | undefined, withBody: WithBody) {
  return {
    slug: true,
    title: true,
    description: true,
    body: withBody,
    createdAt: true,
    updatedAt: true,
    author: { select: profileSelect(viewerId) },
    tags: { orderBy: { position: 'asc' }, select: { tag: { select: { name: true } } } },
    // An id no row has (0) keeps the query shape the same for anonymous readers.
    favorites: { where: { userId: viewerId ?? 0 }, select: { userId: true } },
    _count: { select: { favorites: true } },
  } satisfies Prisma.ArticleSelect;
}

type ArticleRow = Prisma.ArticleGetPayload<{ select: ReturnType<typeof articleSelect<true>> }>;
type SummaryRow = Prisma.ArticleGetPayload<{ select: ReturnType<typeof articleSelect<false>> }>;

export function toArticleSummary(row: SummaryRow | ArticleRow): ArticleSummary {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tags.map(({ tag }) => tag.name),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    favorited: row.favorites.length > 0,
    favoritesCount: row._count.favorites,
    author: toProfile(row.author),
  };
}

export function toArticle(row: ArticleRow): Article {
  return { ...toArticleSummary(row), body: row.body };
}
