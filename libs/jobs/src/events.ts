/**
 * @roadmap messaging.message-brokers, databases.transactions, design.ddd
 * Look at the events the rest of the system reacts to, written to the outbox table in the same
 * transaction as the change they describe: if the change commits, the event exists; if it rolls
 * back, there is no event. Nothing can be sent for a change that never happened, or lost for one
 * that did.
 */

/** What happened, with the ids a reaction needs (it reads the current data itself). */
export type DomainEvent =
  | { type: 'article.published'; articleId: number }
  | { type: 'article.updated'; articleId: number }
  | { type: 'article.deleted'; articleId: number }
  | { type: 'comment.added'; commentId: number; articleId: number }
  | { type: 'user.followed'; followerId: number; followingId: number }
  /** Registration, or the user asking again: send a verification link to the current address. */
  | { type: 'account.verification-requested'; userId: number }
  | { type: 'account.password-reset-requested'; userId: number }
  /** The addresses as they were at the change: the old one is told, the new one verified. */
  | { type: 'account.email-changed'; userId: number; previousEmail: string; newEmail: string };

export type DomainEventType = DomainEvent['type'];

/** An event as the outbox stored it. */
export interface StoredEvent {
  /** The outbox row's id (a bigint, kept as text): unique, and the key of every job it leads to. */
  id: string;
  createdAt: Date;
  event: DomainEvent;
}

/** The columns of the outbox row for `event`: `tx.outboxEvent.create({ data: outboxRow(event) })`. */
export function outboxRow(event: DomainEvent): { type: DomainEventType; payload: Omit<DomainEvent, 'type'> } {
  const { type, ...payload } = event;
  return { type, payload };
}

/** The event back from a row; an unknown type or a malformed payload is refused, never guessed at. */
export function eventFromRow(row: {
  id: string | bigint;
  type: string;
  payload: unknown;
  created_at: Date;
}): StoredEvent {
  const fields = FIELDS[row.type as DomainEventType];
  if (!fields) throw new Error(`unknown outbox event type "${row.type}" (row ${row.id})`);
  const payload = (typeof row.payload === 'object' && row.payload !== null ? row.payload : {}) as Record<
    string,
    unknown
  >;
  const event: Record<string, unknown> = { type: row.type };
  // Only the declared fields are read back: anything else in the payload is left behind.
  for (const [field, kind] of Object.entries(fields)) {
    const value = payload[field];
    if (!isValidField(kind, value)) {
      throw new Error(
        `outbox event ${row.id} (${row.type}) has no valid "${field}": ${JSON.stringify(value) ?? 'missing'}`,
      );
    }
    event[field] = value;
  }
  return { id: String(row.id), createdAt: row.created_at, event: event as DomainEvent };
}

/**
 * `id`: a positive integer (a row to read the current state of). `email`: an address as the API
 * stored it (normalized, at most 254 characters, no white space or control characters, so it can
 * never add a line to a mail header), for the rare fact that cannot be read back later: the
 * address an account had before a change.
 */
export type EventFieldKind = 'id' | 'email';

const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

export function isValidField(kind: EventFieldKind, value: unknown): boolean {
  if (kind === 'id') return Number.isSafeInteger(value) && (value as number) > 0;
  return typeof value === 'string' && value.length <= 254 && EMAIL.test(value);
}

/** The fields each event type carries, and their kind. */
const FIELDS: Record<DomainEventType, Record<string, EventFieldKind>> = {
  'article.published': { articleId: 'id' },
  'article.updated': { articleId: 'id' },
  'article.deleted': { articleId: 'id' },
  'comment.added': { commentId: 'id', articleId: 'id' },
  'user.followed': { followerId: 'id', followingId: 'id' },
  'account.verification-requested': { userId: 'id' },
  'account.password-reset-requested': { userId: 'id' },
  'account.email-changed': { userId: 'id', previousEmail: 'email', newEmail: 'email' },
};
