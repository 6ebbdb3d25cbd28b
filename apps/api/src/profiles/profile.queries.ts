/**
 * @roadmap databases.orm, databases.n-plus-one
 * Look at how `following` is loaded in the same query as the profile, for the viewer only, so a
 * page of articles or comments gets every author's follow state without one query per author.
 */
import type { Prisma } from '@capstone/database';
import type { Profile } from './profile.model';

/** What to load for a profile seen by `viewerId` (undefined for an anonymous reader). */
export function profileSelect(viewerId: number | undefined) {
  return {
    username: true,
    bio: true,
    image: true,
    // An id no row has (0) keeps the query shape the same for anonymous readers.
    followers: { where: { followerId: viewerId ?? 0 }, select: { followerId: true } },
  } satisfies Prisma.UserSelect;
}

export type ProfileRow = Prisma.UserGetPayload<{ select: ReturnType<typeof profileSelect> }>;

export function toProfile(row: ProfileRow): Profile {
  return { username: row.username, bio: row.bio, image: row.image, following: row.followers.length > 0 };
}
