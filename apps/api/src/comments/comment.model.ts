/**
 * @roadmap design.ddd
 * Look at the comment as the services return it, with dates as dates; the REST presenter turns
 * them into ISO strings, GraphQL will use its own scalar.
 */
import type { Profile } from '../profiles/profile.model';

/** A comment as `viewer` sees it (`author.following` is about the viewer). */
export interface Comment {
  id: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  author: Profile;
}

export const COMMENT_MAX_LENGTH = 10_000;
