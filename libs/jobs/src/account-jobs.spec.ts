/**
 * @roadmap testing.unit, messaging.background-jobs, auth.registration-login
 * Look at the account events and jobs: an email address is the one non-id field an event may
 * carry (checked like the ids, so a payload cannot smuggle a header line into an email), each
 * event maps to jobs with stable ids, and a token is only ever stored as its SHA-256.
 */
import { createHash } from 'node:crypto';
import { accountTokenDigest, ACCOUNT_TOKEN_TTL_MS, newAccountToken } from './account-tokens';
import { eventFromRow, outboxRow, type StoredEvent } from './events';
import { jobsFor, readJob } from './queues';

const at = new Date('2026-12-03T10:00:00.000Z');
const stored = (event: StoredEvent['event'], id = '42'): StoredEvent => ({ id, createdAt: at, event });

describe('account events in the outbox', () => {
  it('round-trips an email change with both addresses', () => {
    const row = outboxRow({
      type: 'account.email-changed',
      userId: 3,
      previousEmail: 'old@example.com',
      newEmail: 'new@example.com',
    });
    expect(eventFromRow({ id: '8', ...row, created_at: at }).event).toEqual({
      type: 'account.email-changed',
      userId: 3,
      previousEmail: 'old@example.com',
      newEmail: 'new@example.com',
    });
  });

  it('reads back only the declared fields', () => {
    const event = eventFromRow({
      id: '8',
      type: 'account.verification-requested',
      payload: { userId: 3, token: 'must not travel' },
      created_at: at,
    });
    expect(event.event).toEqual({ type: 'account.verification-requested', userId: 3 });
  });

  it.each([
    [{ userId: 3, newEmail: 'new@example.com' }, /no valid "previousEmail": missing/],
    [{ userId: 3, previousEmail: 7, newEmail: 'new@example.com' }, /no valid "previousEmail": 7/],
    [{ userId: 3, previousEmail: 'no-at-sign', newEmail: 'new@example.com' }, /no valid "previousEmail"/],
    [{ userId: 3, previousEmail: 'a@b.c\r\nBcc: x@y.z', newEmail: 'new@example.com' }, /no valid "previousEmail"/],
    [{ userId: 3, previousEmail: `${'a'.repeat(250)}@b.cd`, newEmail: 'new@example.com' }, /no valid "previousEmail"/],
    [{ userId: '3', previousEmail: 'old@example.com', newEmail: 'new@example.com' }, /no valid "userId"/],
  ])('refuses a malformed email change %j', (payload, message) => {
    expect(() => eventFromRow({ id: '9', type: 'account.email-changed', payload, created_at: at })).toThrow(message);
  });
});

describe('account jobs', () => {
  it('a verification request -> one verify-email job', () => {
    expect(jobsFor(stored({ type: 'account.verification-requested', userId: 3 }))).toEqual([
      {
        queue: 'notifications',
        name: 'verify-email',
        data: { eventId: '42', userId: 3 },
        jobId: 'event-42-verify-email',
      },
    ]);
  });

  it('a reset request -> one password-reset job', () => {
    expect(jobsFor(stored({ type: 'account.password-reset-requested', userId: 3 }))).toEqual([
      { queue: 'notifications', name: 'password-reset', data: { eventId: '42', userId: 3 }, jobId: 'event-42-reset' },
    ]);
  });

  it('an email change -> a notice to the old address and a verification of the new one', () => {
    const jobs = jobsFor(
      stored({
        type: 'account.email-changed',
        userId: 3,
        previousEmail: 'old@example.com',
        newEmail: 'new@example.com',
      }),
    );
    expect(jobs.map((job) => [job.name, job.jobId])).toEqual([
      ['email-changed', 'event-42-notify'],
      ['verify-email', 'event-42-verify-email'],
    ]);
    // What the worker reads back from Redis passes the same checks.
    for (const job of jobs) expect(readJob(job.queue, job.name, job.data).data).toEqual(job.data);
  });

  it('checks the job data read back from the queue', () => {
    const data = { eventId: '42', userId: 3, previousEmail: 'old@example.com', newEmail: 'new@example.com' };
    expect(readJob('notifications', 'email-changed', data).data).toEqual(data);
    expect(() => readJob('notifications', 'email-changed', { ...data, previousEmail: 'x\ny' })).toThrow(
      /no valid "previousEmail"/,
    );
    expect(() => readJob('search-index', 'verify-email', { eventId: '42', userId: 3 })).toThrow(
      /no job "verify-email"/,
    );
  });
});

describe('account tokens', () => {
  it('are 43 random base64url characters, stored as their hex SHA-256', () => {
    const first = newAccountToken();
    const second = newAccountToken();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.token).not.toBe(second.token);
    expect(first.sha256).toBe(createHash('sha256').update(first.token).digest('hex'));
    expect(accountTokenDigest(first.token)).toBe(first.sha256);
  });

  it('last a day to verify an address and an hour to reset a password', () => {
    expect(ACCOUNT_TOKEN_TTL_MS).toEqual({ 'verify-email': 86_400_000, 'reset-password': 3_600_000 });
  });
});
