/**
 * @roadmap apis.rest, databases.n-plus-one
 * Look at the select: everything one article response needs (author, following, tags in order,
 * favorited, favoritesCount) comes from one Prisma query per relation, whatever the page size.
 */
import type { Prisma } from '@capstone/database';
import { profileSelect, toProfile } from '../profiles/profile.presenter';

/** What to load for an article as seen by `viewerId` (undefined for an anonymous reader). */
export function articleSelect(viewerId: number | undefined, withBody: boolean) {
  // An id no row has (0) keeps the query shape the same for anonymous readers.
  const viewer = viewerId ?? 0;
  return {
    slug: true,
    title: true,
    description: true,
    body: withBody,
    createdAt: true,
    updatedAt: true,
    authorId: true,
    author: { select: profileSelect(viewerId) },
    tags: { orderBy: { position: 'asc' }, select: { tag: { select: { name: true } } } },
    favorites: { where: { userId: viewer }, select: { userId: true } },
    _count: { select: { favorites: true } },
  } satisfies Prisma.ArticleSelect;
}

export type LoadedArticle = Prisma.ArticleGetPayload<{ select: ReturnType<typeof articleSelect> }>;

/** The spec's Article. */
export function toArticle(article: LoadedArticle) {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    body: article.body,
    tagList: article.tags.map(({ tag }) => tag.name),
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    favorited: article.favorites.length > 0,
    favoritesCount: article._count.favorites,
    author: toProfile(article.author),
  };
}

/** An item of MultipleArticlesResponse: the spec leaves the body out of lists. */
export function toArticleListItem(article: LoadedArticle) {
  const { body: _body, ...item } = toArticle(article);
  return item;
}
