/**
 * @roadmap messaging.background-jobs, messaging.message-brokers, testing.e2e
 * Look at the worker tested as it runs in production: a separate process on the real Redis and
 * Postgres, sending real SMTP. Emails reach the right people with the right words; a poisoned job
 * fails alone; a duplicate sends nothing twice; a failing job backs off exponentially, lands in the
 * failed set and can be re-driven; a refused mailbox is not retried.
 */
import request from 'supertest';
import { createArticle, registerUser, type TestUser } from '../../api/test/support/factories';
import { startBuiltWorker, type WorkerProcess } from '../../api/test/support/worker-process';
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';

/** The test SMTP server answers 451 (try later) to these addresses until they are taken out. */
const unavailable = new Set<string>();

describe('the worker', () => {
  let stack: JobsStack;
  let worker: WorkerProcess;
  const http = () => request(stack.api.getHttpServer());
  const mailTo = (user: TestUser) => stack.smtp.received.filter((mail) => mail.envelope.to.includes(user.email));

  beforeAll(async () => {
    stack = await startJobsStack({
      label: 'worker',
      smtp: {
        rejectRecipients: ['nobody@example.com'],
        beforeAccept({ to }) {
          if (to.some((address) => unavailable.has(address))) {
            throw Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          }
        },
      },
      env: { JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '300' },
    });
    worker = await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses to start without Redis, and says what to do instead', async () => {
    const { REDIS_URL: _redis, ...env } = stack.workerEnv;
    const refused = startBuiltWorker(env);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/needs REDIS_URL and DATABASE_URL.*the API runs the jobs itself/s);
  });

  it('tells an author about a new follower: recipient, subject, text and HTML', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    await http()
      .put('/api/user')
      .set(follower.auth)
      .send({ user: { bio: 'I write about dragons.' } })
      .expect(200);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);

    const [mail] = await eventually('the new-follower email', async () => mailTo(author)[0] && mailTo(author));
    expect(mail.envelope).toEqual({ from: 'notifications@conduit.test', to: [author.email] });
    expect(mail.parsed.subject).toBe(`${follower.username} is now following you on Conduit`);
    expect(mail.parsed.text).toContain(`Hi ${author.username},`);
    expect(mail.parsed.text).toContain('I write about dragons.');
    expect(mail.parsed.text).toContain(`https://conduit.test/profile/${follower.username}`);
    expect(mail.parsed.html).toContain(`href="https://conduit.test/profile/${follower.username}"`);

    // Following again changes nothing, so it is no event and no second email.
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    await settledJob(stack.queue('notifications'), `event-${await stack.lastEventId('user.followed')}-notify`);
    expect(mailTo(author)).toHaveLength(1);
  });

  it('tells an author about a comment on their article, but not about their own', async () => {
    const [author, reader] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    const article = await createArticle(stack.api, author, { title: 'Taming a dragon, step by step' });
    await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(author.auth)
      .send({ comment: { body: 'Author here: thanks for reading.' } })
      .expect(201);
    const own = await settledJob(
      stack.queue('notifications'),
      `event-${await stack.lastEventId('comment.added')}-notify`,
    );
    expect(own.returnvalue).toMatch(/nothing to send/);

    await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(reader.auth)
      .send({ comment: { body: 'Step 3 worked for me <b>first time</b>.' } })
      .expect(201);
    const [mail] = await eventually('the new-comment email', async () => mailTo(author)[0] && mailTo(author));
    expect(mail.parsed.subject).toBe(`${reader.username} commented on "Taming a dragon, step by step"`);
    expect(mail.parsed.text).toContain('Step 3 worked for me <b>first time</b>.');
    // In HTML the comment is text, never markup.
    expect(mail.parsed.html).toContain('Step 3 worked for me &lt;b&gt;first time&lt;/b&gt;.');
    expect(mail.parsed.text).toContain(`https://conduit.test/article/${article.slug}`);
    expect(mailTo(author)).toHaveLength(1);
  });

  it('sends nothing twice when an event is relayed again, even after its job is gone', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    const eventId = await stack.lastEventId('user.followed');
    const notifications = stack.queue('notifications');
    await settledJob(notifications, `event-${eventId}-notify`);
    expect(mailTo(author)).toHaveLength(1);

    // Relayed again while the job is kept: BullMQ ignores a job id it already has.
    await stack.database.query('UPDATE outbox_events SET sent_at = NULL WHERE id = $1', [eventId]);
    await eventually('the event to be relayed again', async () => {
      const [row] = await stack.database.query<{ sent_at: Date | null }>(
        'SELECT sent_at FROM outbox_events WHERE id = $1',
        [eventId],
      );
      return row.sent_at ?? undefined;
    });
    expect((await notifications.getJob(`event-${eventId}-notify`))!.attemptsMade).toBe(1);

    // Relayed again after the job was removed: it runs, and the delivery guard stops the email.
    await (await notifications.getJob(`event-${eventId}-notify`))!.remove();
    await stack.database.query('UPDATE outbox_events SET sent_at = NULL WHERE id = $1', [eventId]);
    const again = await settledJob(notifications, `event-${eventId}-notify`);
    expect(again.returnvalue).toMatch(/already sent/);
    expect(mailTo(author)).toHaveLength(1);
    const deliveries = await stack.database.query('SELECT key FROM notification_deliveries WHERE key = $1', [
      `new-follower:${eventId}`,
    ]);
    expect(deliveries).toHaveLength(1);
  });

  it('fails a poisoned job at once, alone, and keeps it with the reason', async () => {
    const notifications = stack.queue('notifications');
    const poisoned = await notifications.add('new-comment', { eventId: '1', commentId: 'DROP TABLE' }, { attempts: 4 });
    const unknown = await notifications.add('send-spam', { to: 'everyone' }, { attempts: 4 });
    for (const job of [poisoned, unknown]) {
      const settled = await settledJob(notifications, job.id!);
      expect(await settled.getState()).toBe('failed');
      expect(settled.attemptsStarted).toBe(1); // not retried: it would fail the same way
    }
    expect((await notifications.getJob(poisoned.id!))!.failedReason).toMatch(/no valid "commentId": "DROP TABLE"/);
    expect((await notifications.getJob(unknown.id!))!.failedReason).toMatch(/no job "send-spam"/);
    expect(worker.output()).toMatch(/send-spam \S+ failed \(attempt 1 of 4\).*kept in the failed set/);

    // The worker carries on with the next good job.
    const ok = await stack.queue('maintenance').add('no-op', { sentAt: Date.now() });
    expect(await (await settledJob(stack.queue('maintenance'), ok.id!)).getState()).toBe('completed');
  });

  it('parks an outbox event no relay can read, and relays the ones behind it', async () => {
    const [{ id: poisonedId }] = await stack.database.query<{ id: string }>(
      `INSERT INTO outbox_events (type, payload) VALUES ('article.liked', '{"articleId": 1}') RETURNING id::text AS id`,
    );
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    await eventually('the email behind the poisoned event', async () => mailTo(author)[0]);

    const [parked] = await stack.database.query<{ sent_at: Date | null; available_at: Date; last_error: string }>(
      `SELECT sent_at, available_at = 'infinity' AS available_at, last_error FROM outbox_events WHERE id = $1`,
      [poisonedId],
    );
    expect(parked).toEqual({
      sent_at: null,
      available_at: true,
      last_error: `unknown outbox event type "article.liked" (row ${poisonedId})`,
    });
  });

  it('a mailbox the server rejects for good (550) is not retried', async () => {
    const follower = await registerUser(stack.api);
    // An account whose mailbox does not exist on the mail server.
    const ghost = await registerUser(stack.api, { email: 'nobody@example.com' });
    await http().post(`/api/profiles/${ghost.username}/follow`).set(follower.auth).expect(200);
    const job = await settledJob(
      stack.queue('notifications'),
      `event-${await stack.lastEventId('user.followed')}-notify`,
    );
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsStarted).toBe(1);
    expect(job.failedReason).toMatch(/550/);
  });

  it('retries with exponential backoff and jitter, keeps the last failure, and re-drives it', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    unavailable.add(author.email);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    const jobId = `event-${await stack.lastEventId('user.followed')}-notify`;
    const notifications = stack.queue('notifications');
    const failed = await settledJob(notifications, jobId, 20_000);

    expect(await failed.getState()).toBe('failed');
    expect(failed.attemptsStarted).toBe(4);
    expect(failed.failedReason).toMatch(/451 Mailbox busy/);
    // JOB_BACKOFF_MS=300: the n-th retry waits 300 * 2^(n-1) ms, up to half of it less at random.
    const times = stack.smtp.attempts
      .filter((attempt) => attempt.to.includes(author.email))
      .map((attempt) => attempt.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((at, index) => at - times[index]);
    gaps.forEach((gap, index) => {
      const full = 300 * 2 ** index;
      expect(gap).toBeGreaterThanOrEqual(full / 2 - 20); // timer granularity
      expect(gap).toBeLessThan(full + 1_500); // a loaded machine is late, never early
    });
    expect(mailTo(author)).toHaveLength(0);

    // The dead-letter view: the failure is kept; once the mailbox is back, a retry delivers it.
    expect((await notifications.getFailed()).map((job) => job.id)).toContain(jobId);
    unavailable.delete(author.email);
    await failed.retry('failed');
    await eventually('the re-driven job to complete', async () =>
      (await (await notifications.getJob(jobId))!.getState()) === 'completed' ? true : undefined,
    );
    expect(mailTo(author)).toHaveLength(1);
  });

  it('sends the weekly digest of followed authors, one email per reader', async () => {
    const [reader, author, stranger] = await Promise.all([
      registerUser(stack.api),
      registerUser(stack.api),
      registerUser(stack.api),
    ]);
    await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    const followed = await createArticle(stack.api, author, {
      title: 'A week of dragons',
      description: 'Seven days, seven dragons',
    });
    await createArticle(stack.api, stranger, { title: 'Not followed, not in the digest' });

    // The week that ends tomorrow: today's articles are in it.
    const weekOf = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
    const notifications = stack.queue('notifications');
    const fanOut = await notifications.add('weekly-digest', { weekOf });
    expect((await settledJob(notifications, fanOut.id!)).returnvalue).toMatch(/digest\(s\) for the week/);
    const [mail] = await eventually('the digest', async () => mailTo(reader)[0] && mailTo(reader));
    expect(mail.parsed.subject).toMatch(
      /^Your Conduit week of \d{4}-\d{2}-\d{2}: 1 new article from authors you follow$/,
    );
    expect(mail.parsed.text).toContain('A week of dragons');
    expect(mail.parsed.text).toContain(`https://conduit.test/article/${followed.slug}`);
    expect(mail.parsed.text).not.toContain('Not followed, not in the digest');

    // The same week again (a second scheduler tick, a retry): nobody gets it twice.
    const second = await notifications.add('weekly-digest', { weekOf });
    await settledJob(notifications, second.id!);
    const perReader = await settledJob(notifications, `digest-${weekOf.slice(0, 10)}-${await userId(reader)}`);
    expect(perReader.returnvalue).toBeDefined();
    expect(mailTo(reader)).toHaveLength(1);
  });

  async function userId(user: TestUser): Promise<number> {
    const [row] = await stack.database.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [
      user.username,
    ]);
    return row.id;
  }
});
