import type { User } from '../users/user.model';
import type { Credential } from './credentials';

export type Role = 'user' | 'admin';

/**
 * What a guard attaches to the request for a signed-in user: the user, their role, the token they
 * presented, and what kind of credential it was (with its scopes).
 */
export interface AuthenticatedUser extends User {
  token: string;
  role: Role;
  credential: Credential;
}
