/**
 * @roadmap design.ddd
 * Look at a domain value that every transport shares: a profile as one user sees another.
 */
/** A user as another user sees them: `following` is always false for an anonymous reader. */
export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}
