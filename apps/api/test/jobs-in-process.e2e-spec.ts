/**
 * @roadmap messaging.background-jobs, databases.transactions, testing.e2e
 * Look at the jobs without Redis: the API relays its own outbox after each commit and runs the
 * worker's handlers in-process. A failure waits in the outbox with exponential backoff; after the
 * last attempt, or a refusal that retrying cannot fix, the event is parked with the reason (the
 * in-process dead letter) and an operator can release it.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { startTestSmtpServer, type TestSmtpServer } from '../../../libs/mail/src/testing/test-smtp-server';
import { InProcessJobs } from '../src/jobs/in-process-jobs.service';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { registerUser, type TestUser } from './support/factories';

describe('background jobs inside the API (no Redis)', () => {
  let database: ScratchDatabase;
  let smtp: TestSmtpServer;
  let app: NestFastifyApplication;
  const busy = new Set<string>();
  const http = () => request(app.getHttpServer());
  const drain = () => app.get(InProcessJobs).drain();
  const mailTo = (user: TestUser) => smtp.received.filter((mail) => mail.envelope.to.includes(user.email));

  beforeAll(async () => {
    database = await createScratchDatabase('inproc', 'migrated');
    smtp = await startTestSmtpServer({
      rejectRecipients: ['ghost@example.com'],
      beforeAccept({ to }) {
        if (to.some((address) => busy.has(address))) {
          throw Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
        }
      },
    });
    // No REDIS_URL: JOBS_MODE=auto picks in-process. A long poll interval: the test drains itself.
    app = await createAppOn(database.url, {
      SMTP_URL: smtp.url,
      // Only the notifications counted here (account-emails.e2e-spec.ts tests registration's email).
      SIGNUP_VERIFICATION_EMAIL: 'false',
      RATE_LIMIT_ENABLED: 'false',
      OUTBOX_POLL_INTERVAL_MS: '60000',
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '50',
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await database?.drop();
  });

  async function follow(author: TestUser): Promise<string> {
    const follower = await registerUser(app);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    const [row] = await database.query<{ id: string }>(
      "SELECT id::text AS id FROM outbox_events WHERE type = 'user.followed' ORDER BY outbox_events.id DESC LIMIT 1",
    );
    return row.id;
  }

  const eventRow = async (id: string) =>
    (
      await database.query<{ sent: boolean; parked: boolean; attempts: number; last_error: string | null }>(
        `SELECT sent_at IS NOT NULL AS sent, available_at = 'infinity' AS parked, attempts, last_error
         FROM outbox_events WHERE id = $1`,
        [id],
      )
    )[0];

  it('sends the email after the write commits, and marks the event sent', async () => {
    const author = await registerUser(app);
    const eventId = await follow(author);
    await drain();
    expect(mailTo(author)).toHaveLength(1);
    expect(mailTo(author)[0].parsed.subject).toMatch(/is now following you on Conduit$/);
    expect(await eventRow(eventId)).toEqual({ sent: true, parked: false, attempts: 1, last_error: null });

    // Relayed again (a crash before it was marked sent): the delivery guard sends nothing twice.
    await database.query('UPDATE outbox_events SET sent_at = NULL WHERE id = $1', [eventId]);
    await drain();
    expect(mailTo(author)).toHaveLength(1);
  });

  it('retries a failure with backoff, parks it after the last attempt, and sends it once released', async () => {
    const author = await registerUser(app);
    busy.add(author.email);
    const eventId = await follow(author);
    // The relay also wakes on its own (NOTIFY): drain until the event is parked, whoever runs it.
    for (let round = 0; round < 10 && !(await eventRow(eventId)).parked; round += 1) {
      await waitUntilAvailable(eventId);
      await drain();
    }
    const parked = await eventRow(eventId);
    expect(parked).toMatchObject({ sent: false, parked: true, attempts: 3 });
    expect(parked.last_error).toMatch(/failed 3 time\(s\): .*451 Mailbox busy/);
    const times = smtp.attempts.filter((attempt) => attempt.to.includes(author.email)).map((attempt) => attempt.at);
    expect(times).toHaveLength(3);
    // JOB_BACKOFF_MS=50: 50 ms, then 100 ms between the attempts, at least.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(45);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(95);

    busy.delete(author.email);
    await database.query(
      'UPDATE outbox_events SET available_at = now(), attempts = 0, last_error = NULL WHERE id = $1',
      [eventId],
    );
    await drain();
    expect(mailTo(author)).toHaveLength(1);
    expect(await eventRow(eventId)).toMatchObject({ sent: true, parked: false });
  });

  it('parks at once what retrying cannot fix: a mailbox refused for good, an event nobody can read', async () => {
    const ghost = await registerUser(app, { email: 'ghost@example.com' });
    const refusedId = await follow(ghost);
    const [{ id: unreadableId }] = await database.query<{ id: string }>(
      `INSERT INTO outbox_events (type, payload) VALUES ('user.followed', '{"followerId": "x"}') RETURNING id::text AS id`,
    );
    await drain();
    expect(await eventRow(refusedId)).toMatchObject({ sent: false, parked: true, attempts: 1 });
    expect((await eventRow(refusedId)).last_error).toMatch(/550/);
    expect(await eventRow(unreadableId)).toMatchObject({ sent: false, parked: true, attempts: 0 });
    expect((await eventRow(unreadableId)).last_error).toMatch(/no valid "followerId": "x"/);

    // Events behind them are not held up.
    const author = await registerUser(app);
    await follow(author);
    await drain();
    expect(mailTo(author)).toHaveLength(1);
  });

  async function waitUntilAvailable(eventId: string): Promise<void> {
    const [{ wait_ms }] = await database.query<{ wait_ms: number }>(
      `SELECT CASE WHEN available_at = 'infinity' THEN 0
              ELSE GREATEST(0, EXTRACT(EPOCH FROM available_at - now()) * 1000) END::float8 AS wait_ms
       FROM outbox_events WHERE id = $1`,
      [eventId],
    );
    await new Promise((resolve) => setTimeout(resolve, wait_ms + 5));
  }
});
