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
  | { type: 'user.followed'; followerId: number; followingId: number };

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
  for (const field of fields) {
    const value = payload[field];
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw new Error(
        `outbox event ${row.id} (${row.type}) has no valid "${field}": ${JSON.stringify(value) ?? 'missing'}`,
      );
    }
  }
  return { id: String(row.id), createdAt: row.created_at, event: { ...payload, type: row.type } as DomainEvent };
}

/** The ids each event type carries: all of them positive integers. */
const FIELDS: Record<DomainEventType, string[]> = {
  'article.published': ['articleId'],
  'article.updated': ['articleId'],
  'article.deleted': ['articleId'],
  'comment.added': ['commentId', 'articleId'],
  'user.followed': ['followerId', 'followingId'],
};
