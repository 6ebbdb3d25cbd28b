import type { User } from '../users/user.model';

/** What a guard attaches to the request for a signed-in user: the user and the token it presented. */
export interface AuthenticatedUser extends User {
  token: string;
}
