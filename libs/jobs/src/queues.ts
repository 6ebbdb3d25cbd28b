/**
 * @roadmap messaging.background-jobs, messaging.message-brokers
 * Look at the queues, the typed jobs on each, and how every outbox event fans out into jobs with
 * ids derived from the event: the same event relayed twice yields the same job ids, which BullMQ
 * keeps only once (at-least-once delivery, without duplicate work).
 */
import type { JobsConfig } from '@capstone/config';
import { isValidField, type StoredEvent } from './events';
import { PermanentJobError } from './failures';

export const QUEUES = {
  searchIndex: 'search-index',
  notifications: 'notifications',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every job the system runs: its queue, its name and its data, checked by the compiler. */
export type JobSpec =
  | { queue: 'search-index'; name: 'index-article'; data: { articleId: number; eventAt: string } }
  | { queue: 'notifications'; name: 'new-follower'; data: { eventId: string; followerId: number; followingId: number } }
  | { queue: 'notifications'; name: 'new-comment'; data: { eventId: string; commentId: number } }
  | { queue: 'notifications'; name: 'weekly-digest'; data: { weekOf: string } }
  | { queue: 'notifications'; name: 'digest-for-user'; data: { userId: number; weekOf: string } }
  | { queue: 'notifications'; name: 'verify-email'; data: { eventId: string; userId: number } }
  | { queue: 'notifications'; name: 'password-reset'; data: { eventId: string; userId: number } }
  | {
      queue: 'notifications';
      name: 'email-changed';
      data: { eventId: string; userId: number; previousEmail: string; newEmail: string };
    }
  | { queue: 'maintenance'; name: 'purge-outbox'; data: Record<string, never> }
  | { queue: 'maintenance'; name: 'no-op'; data: { sentAt: number } };

export type JobName = JobSpec['name'];

/**
 * The job as read back from the queue, checked: a job that is not one of ours, or whose data is
 * malformed (a bug, a hand-edited Redis key), throws: retrying it would fail the same way.
 */
export function readJob(queue: string, name: string, data: unknown): JobSpec {
  const shape = JOB_DATA[name as JobName];
  if (!shape || shape.queue !== queue) throw new PermanentJobError(`no job "${name}" on the ${queue} queue`);
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  for (const [field, kind] of Object.entries(shape.fields)) {
    const value = fields[field];
    const valid =
      kind === 'id'
        ? Number.isSafeInteger(value) && (value as number) > 0
        : kind === 'event-id'
          ? typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value)
          : kind === 'time'
            ? typeof value === 'string' && (value === '' || !Number.isNaN(Date.parse(value)))
            : kind === 'email'
              ? isValidField('email', value)
              : typeof value === 'number' && Number.isFinite(value);
    if (!valid)
      throw new PermanentJobError(`job "${name}" has no valid "${field}": ${JSON.stringify(value) ?? 'missing'}`);
  }
  return { queue, name, data: fields } as JobSpec;
}

type FieldKind = 'id' | 'event-id' | 'time' | 'number' | 'email';
const JOB_DATA: Record<JobName, { queue: QueueName; fields: Record<string, FieldKind> }> = {
  'index-article': { queue: 'search-index', fields: { articleId: 'id', eventAt: 'time' } },
  'new-follower': { queue: 'notifications', fields: { eventId: 'event-id', followerId: 'id', followingId: 'id' } },
  'new-comment': { queue: 'notifications', fields: { eventId: 'event-id', commentId: 'id' } },
  'weekly-digest': { queue: 'notifications', fields: { weekOf: 'time' } },
  'digest-for-user': { queue: 'notifications', fields: { userId: 'id', weekOf: 'time' } },
  'verify-email': { queue: 'notifications', fields: { eventId: 'event-id', userId: 'id' } },
  'password-reset': { queue: 'notifications', fields: { eventId: 'event-id', userId: 'id' } },
  'email-changed': {
    queue: 'notifications',
    fields: { eventId: 'event-id', userId: 'id', previousEmail: 'email', newEmail: 'email' },
  },
  'purge-outbox': { queue: 'maintenance', fields: {} },
  'no-op': { queue: 'maintenance', fields: { sentAt: 'number' } },
};

/** A job and the id that makes enqueuing it twice harmless. */
export type KeyedJob = JobSpec & { jobId: string };

/** The jobs an event leads to. The job id is the event id and the reaction: stable across relays. */
export function jobsFor({ id, createdAt, event }: StoredEvent): KeyedJob[] {
  const eventAt = createdAt.toISOString();
  switch (event.type) {
    case 'article.published':
    case 'article.updated':
    case 'article.deleted':
      // The indexer reads the article's current state: it upserts or removes whatever it finds.
      return [
        {
          queue: 'search-index',
          name: 'index-article',
          data: { articleId: event.articleId, eventAt },
          jobId: `event-${id}-index`,
        },
      ];
    case 'comment.added':
      return [
        {
          queue: 'notifications',
          name: 'new-comment',
          data: { eventId: id, commentId: event.commentId },
          jobId: `event-${id}-notify`,
        },
      ];
    case 'user.followed':
      return [
        {
          queue: 'notifications',
          name: 'new-follower',
          data: { eventId: id, followerId: event.followerId, followingId: event.followingId },
          jobId: `event-${id}-notify`,
        },
      ];
    case 'account.verification-requested':
      return [verifyEmailJob(id, event.userId)];
    case 'account.password-reset-requested':
      return [
        {
          queue: 'notifications',
          name: 'password-reset',
          data: { eventId: id, userId: event.userId },
          jobId: `event-${id}-reset`,
        },
      ];
    case 'account.email-changed':
      // Two reactions to one fact: the old address is told, the new one gets a verification link.
      return [
        {
          queue: 'notifications',
          name: 'email-changed',
          data: { eventId: id, userId: event.userId, previousEmail: event.previousEmail, newEmail: event.newEmail },
          jobId: `event-${id}-notify`,
        },
        verifyEmailJob(id, event.userId),
      ];
  }
}

function verifyEmailJob(eventId: string, userId: number): KeyedJob {
  return {
    queue: 'notifications',
    name: 'verify-email',
    data: { eventId, userId },
    jobId: `event-${eventId}-verify-email`,
  };
}

/** Retries and retention for every job (BullMQ's JobsOptions, without importing BullMQ here). */
export function jobOptions(config: Pick<JobsConfig, 'attempts' | 'backoffMs'>) {
  return {
    attempts: config.attempts,
    // 1 s, 2 s, 4 s ... each up to 50% shorter at random, so failures that happened together
    // (an SMTP server down for everyone) are not retried together.
    backoff: { type: 'exponential' as const, delay: config.backoffMs, jitter: 0.5 },
    // Kept a day after success (a duplicate enqueue in that time is ignored by its id); kept for
    // good after the last failed attempt: the failed set is the dead-letter view.
    removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
    removeOnFail: false,
  };
}

/** The repeatable jobs, and when they run (cron, UTC). */
export function schedules(
  config: Pick<JobsConfig, 'digestCron'>,
): Array<{ id: string; pattern: string; job: JobSpec }> {
  return [
    { id: 'purge-outbox', pattern: '17 3 * * *', job: { queue: 'maintenance', name: 'purge-outbox', data: {} } },
    {
      id: 'weekly-digest',
      pattern: config.digestCron,
      // weekOf is filled in when the job runs: the schedule's template has no date.
      job: { queue: 'notifications', name: 'weekly-digest', data: { weekOf: '' } },
    },
  ];
}
