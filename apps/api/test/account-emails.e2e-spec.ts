/**
 * @roadmap testing.e2e, auth.registration-login, messaging.background-jobs, security.owasp
 * Look at the account emails end to end: the API writes an outbox event, the in-process relay
 * runs the worker's job, a real SMTP server receives the email, and the test follows the link in
 * it, as a user would. Only SHA-256 digests of the tokens are ever in the database.
 */
import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import {
  startTestSmtpServer,
  type ReceivedMail,
  type TestSmtpServer,
} from '../../../libs/mail/src/testing/test-smtp-server';
import { InProcessJobs } from '../src/jobs/in-process-jobs.service';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { registerUser, unique, type TestUser } from './support/factories';

const VERIFY_SUBJECT = 'Confirm your email address for Conduit';
const RESET_SUBJECT = 'Reset your Conduit password';
const CHANGED_SUBJECT = 'The email address of your Conduit account was changed';
const INVALID = { errors: { token: ['is invalid or expired'] } };
const NEW_PASSWORD = 'a brand new passphrase';

/** A mailbox that no longer exists: the SMTP server refuses it for good (550). */
const GONE = `${unique('gone')}@example.com`;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

describe('account emails: verification, password reset, email change (in-process jobs, real SMTP)', () => {
  let database: ScratchDatabase;
  let smtp: TestSmtpServer;
  let app: NestFastifyApplication;
  const busy = new Set<string>();
  const http = () => request(app.getHttpServer());
  const drain = () => app.get(InProcessJobs).drain();
  const mailsTo = (email: string, subject?: string) =>
    smtp.received.filter(
      (mail) => mail.envelope.to.includes(email) && (subject === undefined || mail.parsed.subject === subject),
    );

  beforeAll(async () => {
    database = await createScratchDatabase('accounts', 'migrated');
    smtp = await startTestSmtpServer({
      rejectRecipients: [GONE],
      beforeAccept({ to }) {
        if (to.some((address) => busy.has(address))) {
          throw Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
        }
      },
    });
    // No REDIS_URL: the API relays its own outbox. A long poll interval: the test drains itself.
    app = await createAppOn(database.url, {
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://conduit.example.com',
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

  /** The token in a link of the email (and the same code in its text). */
  function tokenIn(mail: ReceivedMail, page: 'verify-email' | 'reset-password'): string {
    const text = mail.parsed.text ?? '';
    const match = new RegExp(`https://conduit\\.example\\.com/${page}\\?token=([A-Za-z0-9_-]{43})\\n`).exec(text);
    if (!match) throw new Error(`no ${page} link in:\n${text}`);
    expect(text).toContain(`\n${match[1]}\n`); // the code to type in, too
    return match[1];
  }

  async function onlyMail(email: string, subject: string): Promise<ReceivedMail> {
    await drain();
    const mails = mailsTo(email, subject);
    expect(mails).toHaveLength(1);
    return mails[0];
  }

  async function verifiedAt(email: string): Promise<Date | null> {
    const [row] = await database.query<{ email_verified_at: Date | null }>(
      'SELECT email_verified_at FROM users WHERE email = $1',
      [email],
    );
    return row.email_verified_at;
  }

  async function requestReset(email: string): Promise<void> {
    const response = await http().post('/api/users/password-reset').send({ user: { email } }).expect(202);
    expect(response.body).toEqual({});
  }

  /** Lets the next request of the account pass the one-a-minute limit. */
  async function backdateEvents(userEmail: string): Promise<void> {
    await database.query(
      `UPDATE outbox_events SET created_at = created_at - interval '2 minutes'
       WHERE payload->>'userId' = (SELECT id::text FROM users WHERE email = $1)`,
      [userEmail],
    );
  }

  describe('email verification', () => {
    it('emails a link on registration; the token verifies the address once', async () => {
      const user = await registerUser(app);
      const mail = await onlyMail(user.email, VERIFY_SUBJECT);
      expect(mail.parsed.html).toContain('https://conduit.example.com/verify-email?token=');
      const token = tokenIn(mail, 'verify-email');
      expect(await verifiedAt(user.email)).toBeNull();

      await http().post('/api/users/verify-email').send({ token }).expect(204);
      const at = await verifiedAt(user.email);
      expect(at).toBeInstanceOf(Date);
      expect(Math.abs(at!.getTime() - Date.now())).toBeLessThan(60_000);

      const again = await http().post('/api/users/verify-email').send({ token }).expect(422);
      expect(again.body).toEqual(INVALID);
    });

    it('stores only the SHA-256 of the token: the raw value is in the email alone', async () => {
      const user = await registerUser(app);
      const token = tokenIn(await onlyMail(user.email, VERIFY_SUBJECT), 'verify-email');
      const rows = await database.query<{ token_sha256: string; purpose: string; email: string; ttl_hours: number }>(
        `SELECT token_sha256, purpose, email,
                round(EXTRACT(EPOCH FROM expires_at - created_at) / 3600)::int AS ttl_hours
         FROM account_tokens WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
        [user.email],
      );
      expect(rows).toEqual([
        { token_sha256: sha256(token), purpose: 'verify-email', email: user.email, ttl_hours: 24 },
      ]);
      const leaks = await database.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM account_tokens t WHERE t::text LIKE '%' || $1 || '%')
              + (SELECT count(*) FROM outbox_events o WHERE o::text LIKE '%' || $1 || '%')
              + (SELECT count(*) FROM notification_deliveries d WHERE d::text LIKE '%' || $1 || '%') AS n`,
        [token],
      );
      expect(Number(leaks[0].n)).toBe(0);
    });

    it('sends once when the event is relayed again, and leaves no token behind a failed send', async () => {
      const email = `${unique('busy')}@example.com`;
      busy.add(email);
      const user = await registerUser(app, { email });
      await drain();
      const userTokens = async () =>
        (
          await database.query<{ n: string }>(
            'SELECT count(*) AS n FROM account_tokens WHERE user_id = (SELECT id FROM users WHERE email = $1)',
            [email],
          )
        )[0].n;
      expect(smtp.attempts.filter((attempt) => attempt.to.includes(email)).length).toBeGreaterThanOrEqual(1);
      expect(mailsTo(email)).toHaveLength(0);
      expect(await userTokens()).toBe('0'); // the token nobody received was deleted

      busy.delete(email);
      await new Promise((resolve) => setTimeout(resolve, 200)); // past the retry's backoff
      const token = tokenIn(await onlyMail(email, VERIFY_SUBJECT), 'verify-email');
      expect(await userTokens()).toBe('1');

      // Relayed again (a crash before it was marked sent): no second email, no second token.
      await database.query(
        `UPDATE outbox_events SET sent_at = NULL
         WHERE type = 'account.verification-requested' AND payload->>'userId' = (SELECT id::text FROM users WHERE email = $1)`,
        [email],
      );
      await drain();
      expect(mailsTo(email)).toHaveLength(1);
      expect(await userTokens()).toBe('1');
      await http().post('/api/users/verify-email').send({ token }).expect(204);
      expect(user.email).toBe(email);
    });

    it('resends on request, once a minute at most, and not for a verified address', async () => {
      const user = await registerUser(app);
      const first = tokenIn(await onlyMail(user.email, VERIFY_SUBJECT), 'verify-email');
      await http().post('/api/user/verification-email').expect(401);
      // The registration's email went out less than a minute ago.
      const limited = await http().post('/api/user/verification-email').set(user.auth).expect(429);
      expect(limited.body.errors).toHaveProperty('verification-email');

      await backdateEvents(user.email);
      const resent = await http().post('/api/user/verification-email').set(user.auth).expect(202);
      expect(resent.body).toEqual({});
      await drain();
      const mails = mailsTo(user.email, VERIFY_SUBJECT);
      expect(mails).toHaveLength(2);
      const second = tokenIn(mails[1], 'verify-email');
      expect(second).not.toBe(first);

      await http().post('/api/users/verify-email').send({ token: second }).expect(204);
      await backdateEvents(user.email);
      const done = await http().post('/api/user/verification-email').set(user.auth).expect(409);
      expect(done.body).toEqual({ errors: { email: ['is already verified'] } });
    });

    it('refuses unknown, malformed, expired and wrong-purpose tokens with 422', async () => {
      await http()
        .post('/api/users/verify-email')
        .send({ token: 'A'.repeat(43) })
        .expect(422, INVALID);
      const missing = await http().post('/api/users/verify-email').send({}).expect(422);
      expect(missing.body.errors).toHaveProperty('token');

      const user = await registerUser(app);
      const token = tokenIn(await onlyMail(user.email, VERIFY_SUBJECT), 'verify-email');
      await database.query(
        `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_sha256 = $1`,
        [sha256(token)],
      );
      await http().post('/api/users/verify-email').send({ token }).expect(422, INVALID);
      // A verification token is no reset token.
      await http()
        .post('/api/users/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD })
        .expect(422, INVALID);
      expect(await verifiedAt(user.email)).toBeNull();
    });
  });

  describe('password reset', () => {
    it('answers 202 {} for an unknown address, and sends nothing', async () => {
      const nobody = `${unique('nobody')}@example.com`;
      const resetEvents = async () =>
        (
          await database.query<{ n: string }>(
            "SELECT count(*) AS n FROM outbox_events WHERE type = 'account.password-reset-requested'",
          )
        )[0].n;
      const before = { mails: smtp.received.length, events: await resetEvents() };
      await requestReset(nobody);
      await drain();
      expect({ mails: smtp.received.length, events: await resetEvents() }).toEqual(before);
      expect(mailsTo(nobody)).toHaveLength(0);
    });

    it('resets with the emailed token: old password and every old token stop working', async () => {
      const user: TestUser = await registerUser(app);
      await drain();
      await requestReset(user.email.toUpperCase()); // addresses compare ignoring case
      const mail = await onlyMail(user.email, RESET_SUBJECT);
      const token = tokenIn(mail, 'reset-password');
      const [stored] = await database.query<{ purpose: string; ttl_minutes: number }>(
        `SELECT purpose, round(EXTRACT(EPOCH FROM expires_at - created_at) / 60)::int AS ttl_minutes
         FROM account_tokens WHERE token_sha256 = $1`,
        [sha256(token)],
      );
      expect(stored).toEqual({ purpose: 'reset-password', ttl_minutes: 60 });

      await http().post('/api/users/password-reset/confirm').send({ token, password: NEW_PASSWORD }).expect(204);

      await http()
        .post('/api/users/login')
        .send({ user: { email: user.email, password: user.password } })
        .expect(401);
      await http()
        .post('/api/users/login')
        .send({ user: { email: user.email, password: NEW_PASSWORD } })
        .expect(200);
      await http().get('/api/user').set(user.auth).expect(401); // the registration's JWT
      await http()
        .post('/api/users/password-reset/confirm')
        .send({ token, password: 'yet another passphrase' })
        .expect(422, INVALID);
      // The link reached the address: it counts as verified.
      expect(await verifiedAt(user.email)).toBeInstanceOf(Date);
    });

    it('a reset uses up every other reset token of the account', async () => {
      const user = await registerUser(app);
      await requestReset(user.email);
      await drain();
      await backdateEvents(user.email);
      await requestReset(user.email);
      await drain();
      const [older, newer] = mailsTo(user.email, RESET_SUBJECT).map((mail) => tokenIn(mail, 'reset-password'));
      expect(newer).toBeDefined();
      await http().post('/api/users/password-reset/confirm').send({ token: newer, password: NEW_PASSWORD }).expect(204);
      await http()
        .post('/api/users/password-reset/confirm')
        .send({ token: older, password: 'yet another passphrase' })
        .expect(422, INVALID);
    });

    it('sends one reset email a minute per account, still answering 202', async () => {
      const user = await registerUser(app);
      await requestReset(user.email);
      await requestReset(user.email);
      await drain();
      expect(mailsTo(user.email, RESET_SUBJECT)).toHaveLength(1);
    });

    it('refuses an expired token and a password the registration rules refuse', async () => {
      const user = await registerUser(app);
      await requestReset(user.email);
      const token = tokenIn(await onlyMail(user.email, RESET_SUBJECT), 'reset-password');

      const short = await http()
        .post('/api/users/password-reset/confirm')
        .send({ token, password: 'short' })
        .expect(422);
      expect(short.body.errors.password).toEqual(['is too short (minimum is 8 characters)']);
      const own = await http()
        .post('/api/users/password-reset/confirm')
        .send({ token, password: user.email })
        .expect(422);
      expect(own.body.errors).toHaveProperty('password');

      await database.query(
        `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_sha256 = $1`,
        [sha256(token)],
      );
      await http()
        .post('/api/users/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD })
        .expect(422, INVALID);
      await http()
        .post('/api/users/login')
        .send({ user: { email: user.email, password: user.password } })
        .expect(200);
    });
  });

  describe('email change', () => {
    it('tells the old address, verifies the new one, and the old link verifies nothing', async () => {
      const user = await registerUser(app);
      const oldToken = tokenIn(await onlyMail(user.email, VERIFY_SUBJECT), 'verify-email');
      const newEmail = `${unique('moved')}@example.com`;
      await http()
        .put('/api/user')
        .set(user.auth)
        .send({ user: { email: newEmail } })
        .expect(200);
      expect(await verifiedAt(newEmail)).toBeNull();

      const notice = await onlyMail(user.email, CHANGED_SUBJECT);
      expect(notice.parsed.text).toContain(`changed from ${user.email} to ${newEmail}.`);
      expect(notice.parsed.text).not.toContain('token=');
      const newToken = tokenIn(await onlyMail(newEmail, VERIFY_SUBJECT), 'verify-email');
      const [stored] = await database.query<{ email: string }>(
        'SELECT email FROM account_tokens WHERE token_sha256 = $1',
        [sha256(newToken)],
      );
      expect(stored.email).toBe(newEmail);

      // The first link went to the old address: it does not verify the new one.
      await http().post('/api/users/verify-email').send({ token: oldToken }).expect(422, INVALID);
      await http().post('/api/users/verify-email').send({ token: newToken }).expect(204);
      expect(await verifiedAt(newEmail)).toBeInstanceOf(Date);
    });

    it('still verifies the new address when the old one refuses the notice for good', async () => {
      const user = await registerUser(app, { email: GONE });
      const newEmail = `${unique('moved')}@example.com`;
      await http()
        .put('/api/user')
        .set(user.auth)
        .send({ user: { email: newEmail } })
        .expect(200);
      await onlyMail(newEmail, VERIFY_SUBJECT);
      expect(mailsTo(GONE)).toHaveLength(0);
      const [event] = await database.query<{ sent: boolean; last_error: string | null }>(
        `SELECT sent_at IS NOT NULL AS sent, last_error FROM outbox_events
         WHERE type = 'account.email-changed' AND payload->>'previousEmail' = $1`,
        [GONE],
      );
      expect(event).toEqual({ sent: true, last_error: null });
    });

    it('unverifies a verified account when its address changes, and changes nothing for the same address', async () => {
      const user = await registerUser(app);
      const token = tokenIn(await onlyMail(user.email, VERIFY_SUBJECT), 'verify-email');
      await http().post('/api/users/verify-email').send({ token }).expect(204);

      await http()
        .put('/api/user')
        .set(user.auth)
        .send({ user: { email: user.email.toUpperCase() } })
        .expect(200);
      await drain();
      expect(await verifiedAt(user.email)).toBeInstanceOf(Date);
      expect(mailsTo(user.email, CHANGED_SUBJECT)).toHaveLength(0);

      const newEmail = `${unique('moved')}@example.com`;
      await http()
        .put('/api/user')
        .set(user.auth)
        .send({ user: { email: newEmail } })
        .expect(200);
      expect(await verifiedAt(newEmail)).toBeNull();
      await onlyMail(user.email, CHANGED_SUBJECT);
      await onlyMail(newEmail, VERIFY_SUBJECT);
    });
  });
});
