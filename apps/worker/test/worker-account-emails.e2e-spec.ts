/**
 * @roadmap messaging.background-jobs, testing.e2e, auth.registration-login
 * Look at the account emails on the production path: the built worker takes the verify-email,
 * email-changed and password-reset jobs off the notifications queue in BullMQ and sends them over
 * SMTP; the links in them work against the API, and a job relayed twice sends nothing twice.
 */
import request from 'supertest';
import type { ReceivedMail } from '../../../libs/mail/src/testing/test-smtp-server';
import { registerUser, unique } from '../../api/test/support/factories';
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';

describe('account emails through the worker', () => {
  let stack: JobsStack;
  const http = () => request(stack.api.getHttpServer());
  const mailsTo = (email: string, subject: string) =>
    stack.smtp.received.filter((mail) => mail.envelope.to.includes(email) && mail.parsed.subject === subject);
  const tokenIn = (mail: ReceivedMail, page: string) =>
    new RegExp(`https://conduit\\.test/${page}\\?token=([A-Za-z0-9_-]{43})`).exec(mail.parsed.text ?? '')![1];
  const arrived = (email: string, subject: string, count = 1) =>
    eventually(`${count} "${subject}" email(s) to ${email}`, async () => {
      const mails = mailsTo(email, subject);
      return mails.length >= count ? mails : undefined;
    });

  beforeAll(async () => {
    stack = await startJobsStack({ label: 'accounts', env: { SIGNUP_VERIFICATION_EMAIL: 'true' } });
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('verification on registration and on an email change, with a notice to the old address', async () => {
    const user = await registerUser(stack.api);
    const eventId = await stack.lastEventId('account.verification-requested');
    const job = await settledJob(stack.queue('notifications'), `event-${eventId}-verify-email`);
    expect(await job.getState()).toBe('completed');
    const [mail] = await arrived(user.email, 'Confirm your email address for Conduit');
    await http()
      .post('/api/users/verify-email')
      .send({ token: tokenIn(mail, 'verify-email') })
      .expect(204);

    // Relayed again: the same job id, and the delivery guard: no second email.
    await stack.database.query('UPDATE outbox_events SET sent_at = NULL WHERE id = $1', [eventId]);
    await eventually('the event relayed again', async () => {
      const [row] = await stack.database.query<{ sent: boolean }>(
        'SELECT sent_at IS NOT NULL AS sent FROM outbox_events WHERE id = $1',
        [eventId],
      );
      return row.sent ? true : undefined;
    });

    const newEmail = `${unique('moved')}@example.com`;
    await http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { email: newEmail } })
      .expect(200);
    const [notice] = await arrived(user.email, 'The email address of your Conduit account was changed');
    expect(notice.parsed.text).toContain(`to ${newEmail}.`);
    const [verify] = await arrived(newEmail, 'Confirm your email address for Conduit');
    await http()
      .post('/api/users/verify-email')
      .send({ token: tokenIn(verify, 'verify-email') })
      .expect(204);
    expect(mailsTo(user.email, 'Confirm your email address for Conduit')).toHaveLength(1);
  });

  it('password reset: the emailed link sets a new password', async () => {
    const user = await registerUser(stack.api);
    await http()
      .post('/api/users/password-reset')
      .send({ user: { email: user.email } })
      .expect(202);
    const [mail] = await arrived(user.email, 'Reset your Conduit password');
    await http()
      .post('/api/users/password-reset/confirm')
      .send({ token: tokenIn(mail, 'reset-password'), password: 'a brand new passphrase' })
      .expect(204);
    await http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: 'a brand new passphrase' } })
      .expect(200);
  });
});
