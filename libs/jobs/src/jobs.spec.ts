/**
 * @roadmap messaging.background-jobs, testing.unit
 * Look at the rules the queues rely on: every event maps to jobs whose ids depend on the event alone (so a second relay of it adds nothing), retries back off exponentially with jitter and keep the last failure, and the digest week starts on Monday.
 */
import { eventFromRow, outboxRow, type StoredEvent } from './events';
import { jobOptions, jobsFor, readJob, schedules } from './queues';
import { startOfWeek } from './handlers';

const at = new Date('2026-11-22T10:00:00.000Z');
const stored = (event: StoredEvent['event'], id = '42'): StoredEvent => ({ id, createdAt: at, event });

describe('events in the outbox', () => {
  it('round-trips through an outbox row', () => {
    const row = outboxRow({ type: 'user.followed', followerId: 1, followingId: 2 });
    expect(row).toEqual({ type: 'user.followed', payload: { followerId: 1, followingId: 2 } });
    expect(eventFromRow({ id: 7n, ...row, created_at: at })).toEqual({
      id: '7',
      createdAt: at,
      event: { type: 'user.followed', followerId: 1, followingId: 2 },
    });
  });

  it('refuses a row of a type it does not know rather than guess', () => {
    expect(() => eventFromRow({ id: '9', type: 'article.liked', payload: {}, created_at: at })).toThrow(
      /unknown outbox event type "article.liked"/,
    );
  });

  it.each([
    [{}, /no valid "articleId": missing/],
    [{ articleId: '5' }, /no valid "articleId": "5"/],
    [{ articleId: -1 }, /no valid "articleId": -1/],
    [{ articleId: 1.5 }, /no valid "articleId": 1.5/],
    [null, /no valid "articleId"/],
  ])('refuses a malformed payload %j', (payload, message) => {
    expect(() => eventFromRow({ id: '9', type: 'article.updated', payload, created_at: at })).toThrow(message);
  });
});

describe('jobsFor', () => {
  it.each([
    [{ type: 'article.published', articleId: 5 } as const, 'search-index', 'index-article', 'event-42-index'],
    [{ type: 'article.updated', articleId: 5 } as const, 'search-index', 'index-article', 'event-42-index'],
    [{ type: 'article.deleted', articleId: 5 } as const, 'search-index', 'index-article', 'event-42-index'],
    [{ type: 'comment.added', commentId: 3, articleId: 5 } as const, 'notifications', 'new-comment', 'event-42-notify'],
    [
      { type: 'user.followed', followerId: 1, followingId: 2 } as const,
      'notifications',
      'new-follower',
      'event-42-notify',
    ],
  ])('%j -> one %s job named %s with id %s', (event, queue, name, jobId) => {
    expect(jobsFor(stored(event))).toEqual([expect.objectContaining({ queue, name, jobId })]);
  });

  it('gives the same ids to the same event relayed twice, and other ids to another event', () => {
    const event = { type: 'comment.added', commentId: 3, articleId: 5 } as const;
    expect(jobsFor(stored(event)).map((job) => job.jobId)).toEqual(jobsFor(stored(event)).map((job) => job.jobId));
    expect(jobsFor(stored(event, '43'))[0].jobId).not.toBe(jobsFor(stored(event))[0].jobId);
  });
});

describe('readJob', () => {
  it('reads back a job of ours', () => {
    expect(readJob('search-index', 'index-article', { articleId: 5, eventAt: at.toISOString() })).toEqual({
      queue: 'search-index',
      name: 'index-article',
      data: { articleId: 5, eventAt: at.toISOString() },
    });
    expect(readJob('notifications', 'weekly-digest', { weekOf: '' }).name).toBe('weekly-digest');
  });

  it.each([
    ['search-index', 'send-spam', {}, /no job "send-spam" on the search-index queue/],
    ['maintenance', 'index-article', { articleId: 5, eventAt: '' }, /no job "index-article" on the maintenance queue/],
    ['search-index', 'index-article', { articleId: 'abc', eventAt: '' }, /no valid "articleId": "abc"/],
    ['notifications', 'new-comment', { eventId: 'x; DROP', commentId: 3 }, /no valid "eventId"/],
    ['notifications', 'digest-for-user', { userId: 3, weekOf: 'next tuesday' }, /no valid "weekOf"/],
    ['notifications', 'new-follower', null, /no valid "eventId": missing/],
  ])('refuses a poisoned job: %s %s %j', (queue, name, data, message) => {
    expect(() => readJob(queue, name, data)).toThrow(message);
  });
});

describe('jobOptions', () => {
  it('retries with exponential backoff and jitter, and keeps failed jobs for good', () => {
    expect(jobOptions({ attempts: 8, backoffMs: 1000 })).toEqual({
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
      removeOnComplete: { age: 86_400, count: 10_000 },
      removeOnFail: false,
    });
  });
});

describe('schedules', () => {
  it('purges the outbox nightly and sends the digest on the configured cron', () => {
    expect(schedules({ digestCron: '0 8 * * 1' }).map(({ id, pattern }) => [id, pattern])).toEqual([
      ['purge-outbox', '17 3 * * *'],
      ['weekly-digest', '0 8 * * 1'],
    ]);
  });
});

describe('startOfWeek', () => {
  it.each([
    ['2026-11-23T08:00:00Z', '2026-11-23T00:00:00.000Z'], // a Monday
    ['2026-11-22T23:59:59Z', '2026-11-16T00:00:00.000Z'], // a Sunday
    ['2026-11-25T12:00:00Z', '2026-11-23T00:00:00.000Z'],
  ])('%s -> %s', (date, monday) => {
    expect(startOfWeek(new Date(date)).toISOString()).toBe(monday);
  });
});
