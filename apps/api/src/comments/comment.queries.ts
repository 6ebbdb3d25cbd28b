/**
 * @roadmap databases.orm
 * Look at how a comment and its author's follow state are loaded in one query per relation and
 * turned into a domain `Comment`.
 */
import type { Prisma } from '@capstone/database';
import { profileSelect, toProfile } from '../profiles/profile.queries';
import type { Comment } from './comment.model';

export function commentSelect(viewerId: number | undefined) {
  return {
    id: true,
    body: true,
    createdAt: true,
    updatedAt: true,
    author: { select: profileSelect(viewerId) },
  } satisfies Prisma.CommentSelect;
}

type CommentRow = Prisma.CommentGetPayload<{ select: ReturnType<typeof commentSelect> }>;

export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    author: toProfile(row.author),
  };
}
