/**
 * @roadmap design.ddd
 * Look at a domain value that every transport shares: a profile as one user sees another. Its
 * `id` is for the services (joining the viewer's follows); presenters never show it.
 */
export interface Profile {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
  /** Whether the viewer follows this user: always false for an anonymous reader. */
  following: boolean;
}
