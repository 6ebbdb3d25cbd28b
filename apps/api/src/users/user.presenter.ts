import type { User } from '@capstone/database';

/** The spec's User object: what a client may see of its own account (never the hash or role). */
export function toUserResponse(user: Pick<User, 'email' | 'username' | 'bio' | 'image'>, token: string) {
  return { user: { email: user.email, token, username: user.username, bio: user.bio, image: user.image } };
}
