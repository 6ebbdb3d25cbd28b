/**
 * @roadmap apis.rest
 * Look at how `following` is computed in the same query as the profile, for the viewer only.
 */
import type { Prisma } from '@capstone/database';

/** A user as `viewerId` sees them (undefined for an anonymous reader). */
export function profileSelect(viewerId: number | undefined) {
  // An id no row has (0) keeps the query shape the same for anonymous readers.
  return {
    username: true,
    bio: true,
    image: true,
    followers: { where: { followerId: viewerId ?? 0 }, select: { followerId: true } },
  } satisfies Prisma.UserSelect;
}

export type LoadedProfile = Prisma.UserGetPayload<{ select: ReturnType<typeof profileSelect> }>;

/** The spec's Profile. */
export function toProfile(user: LoadedProfile) {
  return { username: user.username, bio: user.bio, image: user.image, following: user.followers.length > 0 };
}
