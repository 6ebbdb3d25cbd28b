/**
 * @roadmap apis.rest
 * Look at the REST shape of a comment: ISO 8601 dates, the author as a spec Profile, and the
 * envelopes the RealWorld spec names.
 */
import { presentProfile } from '../profiles/profile.presenter';
import type { Comment } from './comment.model';

/** The spec's Comment. */
export function presentComment(comment: Comment) {
  return {
    id: comment.id,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
    body: comment.body,
    author: presentProfile(comment.author),
  };
}

export function presentCommentResponse(comment: Comment) {
  return { comment: presentComment(comment) };
}

export function presentCommentList(comments: Comment[]) {
  return { comments: comments.map(presentComment) };
}
