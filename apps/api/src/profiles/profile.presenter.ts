/**
 * @roadmap apis.rest
 * Look at the REST shape of a profile: the domain value, as the spec names it, in its envelope.
 */
import type { Profile } from './profile.model';

/** The spec's Profile; also the `author` of articles and comments. */
export function presentProfile(profile: Profile) {
  return { username: profile.username, bio: profile.bio, image: profile.image, following: profile.following };
}

export function presentProfileResponse(profile: Profile) {
  return { profile: presentProfile(profile) };
}
