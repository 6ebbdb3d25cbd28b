/**
 * @roadmap apis.rest
 * Look at how the REST edge wraps a domain user in the spec's envelope and adds the token, which
 * belongs to the transport (a GraphQL client gets the same user and token in its own shape).
 */
import type { User } from './user.model';

/** The spec's UserResponse: what a client may see of its own account (never the hash or role). */
export function presentUser(user: User, token: string) {
  return { user: { email: user.email, token, username: user.username, bio: user.bio, image: user.image } };
}
