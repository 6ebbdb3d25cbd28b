/**
 * @roadmap databases.orm
 * Look at how a comment and its author are loaded in one query per relation and turned into a
 * domain `Comment`; the reader's follow state is added separately (viewer-relations.ts).
 */
import type { Prisma } from '@capstone/database';
import { PROFILE_SELECT, toProfile } from '../profiles/profile.queries';
import type { Comment } from './comment.model';

export function commentSelect() {
  return {
    id: true,
    body: true,
    createdAt: true,
    updatedAt: true,
    author: { select: PROFILE_SELECT },
  } satisfies Prisma.CommentSelect;
}

type CommentRow = Prisma.CommentGetPayload<{ select: ReturnType<typeof commentSelect> }>;

/** The comment as an anonymous reader sees it; the viewer's `following` is applied afterwards. */

export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    author: toProfile(row.author),
  };
}
