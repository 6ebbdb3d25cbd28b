/**
 * @roadmap databases.orm
 * Look at the select shared by every view of a user (profile, article author, comment author): it
 * is the same for every reader, so it can be cached; whether the viewer follows them is looked up
 * separately (viewer-relations.ts), for all the authors of a page in one query.
 */
import type { Prisma } from '@capstone/database';
import type { Profile } from './profile.model';

export const PROFILE_SELECT = {
  id: true,
  username: true,
  bio: true,
  image: true,
} satisfies Prisma.UserSelect;

export type ProfileRow = Prisma.UserGetPayload<{ select: typeof PROFILE_SELECT }>;

/** The profile as an anonymous reader sees it; the viewer's `following` is applied afterwards. */
export function toProfile(row: ProfileRow): Profile {
  return { id: row.id, username: row.username, bio: row.bio, image: row.image, following: false };
}
