/**
 * @roadmap testing.integration, architecture.hexagonal
 * Look at the SMTP adapter tested against a real SMTP server on 127.0.0.1: what arrives (envelope,
 * headers, both bodies, the Message-ID) is parsed back from the raw message; credentials from the
 * URL; and a refused, silent or rejecting server makes send() fail fast, with an error that says
 * whether to retry.
 */
import { createMailer } from './create-mailer';
import { newCommentEmail, newFollowerEmail } from './emails';
import type { MailMessage, Mailer } from './mailer';
import { MailDeliveryError, redactSmtpUrl, SmtpMailer } from './smtp-mailer';
import { closedPort, startSilentServer, startTestSmtpServer, type TestSmtpServer } from './testing/test-smtp-server';

const from = 'Conduit <no-reply@conduit.localhost>';
const publicUrl = 'http://localhost:3000';

/** How long a failure may take: far below nodemailer's own defaults (minutes). */
const FAIL_FAST_MS = 3_000;

async function elapsed<T>(promise: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await promise;
    return { ms: performance.now() - start, error: undefined };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('SmtpMailer against a real SMTP server', () => {
  let server: TestSmtpServer;
  let mailer: Mailer;

  beforeEach(async () => {
    server = await startTestSmtpServer();
    mailer = createMailer({ smtpUrl: server.url, from });
  });

  afterEach(async () => {
    await mailer.close();
    await server.close();
  });

  it('is the SMTP adapter, and names its server without credentials', () => {
    expect(mailer.transport).toBe('smtp');
    expect(mailer.target).toBe(`smtp://127.0.0.1:${server.port}`);
    expect(redactSmtpUrl('smtps://user:s3cret@mail.example.com:465')).toBe('smtps://mail.example.com:465');
  });

  it('delivers a notification: envelope, from, to, subject, text, HTML and Message-ID', async () => {
    const message = newFollowerEmail({
      to: { email: 'bob@example.com', username: 'bob' },
      follower: { username: 'alice', bio: 'Writes about tea.' },
      publicUrl,
    });

    const result = await mailer.send(message);

    const [mail] = await server.waitForMessages(1);
    expect(result.messageId).toBe('<new-follower.alice.bob@localhost>');
    expect(mail.envelope).toEqual({ from: 'no-reply@conduit.localhost', to: ['bob@example.com'] });
    expect(mail.parsed.from?.value).toEqual([{ name: 'Conduit', address: 'no-reply@conduit.localhost' }]);
    expect(mail.parsed.to).toMatchObject({ value: [{ address: 'bob@example.com', name: '' }] });
    expect(mail.parsed.subject).toBe('alice is now following you on Conduit');
    expect(mail.parsed.messageId).toBe('<new-follower.alice.bob@localhost>');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Both bodies arrive (multipart/alternative), byte for byte what the template rendered.
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.text?.trimEnd()).toBe(message.text);
    expect(mail.parsed.html).toBe(message.html);
    expect(mail.parsed.text).toContain('In their own words: "Writes about tea."');
    expect(mail.parsed.html).toContain('<a href="http://localhost:3000/profile/alice">alice</a>');
  });

  it('carries escaping through: a username like <script> is text in the HTML part and raw in the text part', async () => {
    await mailer.send(
      newCommentEmail({
        to: { email: 'bob@example.com', username: 'bob' },
        commenter: { username: '<script>alert(1)</script>' },
        article: { slug: 'tea', title: 'Tea & biscuits' },
        comment: { id: 5, body: 'Nice <b>post</b>, ünïcödé ✓' },
        publicUrl,
      }),
    );

    const [mail] = await server.waitForMessages(1);
    expect(mail.parsed.subject).toBe('<script>alert(1)</script> commented on "Tea & biscuits"');
    expect(mail.parsed.text).toContain('<script>alert(1)</script> commented on your article "Tea & biscuits":');
    expect(mail.parsed.text).toContain('> Nice <b>post</b>, ünïcödé ✓');
    expect(mail.parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</a> commented on your article');
    expect(mail.parsed.html).toContain('Nice &lt;b&gt;post&lt;/b&gt;, ünïcödé ✓</pre>');
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.html).not.toContain('<b>');
  });

  it('sends the same Message-ID again when the same notification is sent twice (a retried job)', async () => {
    const message = newFollowerEmail({
      to: { email: 'bob@example.com', username: 'bob' },
      follower: { username: 'alice' },
      publicUrl,
    });
    await mailer.send(message);
    await mailer.send(message);

    const mails = await server.waitForMessages(2);
    expect(mails.map((mail) => mail.parsed.messageId)).toEqual([
      '<new-follower.alice.bob@localhost>',
      '<new-follower.alice.bob@localhost>',
    ]);
  });

  it('lets the transport make up a Message-ID when the message has none, and reuses its connections', async () => {
    const plain: MailMessage = { to: 'carol@example.com', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>' };
    const results = await Promise.all([mailer.send(plain), mailer.send(plain), mailer.send(plain)]);

    const mails = await server.waitForMessages(3);
    expect(new Set(results.map((result) => result.messageId)).size).toBe(3);
    expect(mails.map((mail) => mail.parsed.messageId).sort()).toEqual(results.map((result) => result.messageId).sort());
  });

  it('verifies the server without sending anything', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
    expect(server.received).toHaveLength(0);
  });

  it('reports a recipient the server refuses (550) as a permanent failure', async () => {
    await server.close();
    server = await startTestSmtpServer({ rejectRecipients: ['nobody@example.com'] });
    await mailer.close();
    mailer = createMailer({ smtpUrl: server.url, from });

    const { error } = await elapsed(mailer.send({ to: 'nobody@example.com', subject: 's', text: 't', html: 'h' }));

    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ code: 'EENVELOPE', responseCode: 550, permanent: true });
    expect(server.received).toHaveLength(0);
  });

  it('refuses to send once closed', async () => {
    await mailer.close();
    await expect(mailer.send({ to: 'bob@example.com', subject: 's', text: 't', html: 'h' })).rejects.toThrow(
      MailDeliveryError,
    );
  });
});

describe('SmtpMailer with credentials in the URL', () => {
  let server: TestSmtpServer;

  beforeAll(async () => {
    server = await startTestSmtpServer({ credentials: { user: 'conduit', password: 'p@ss:word' } });
  });

  afterAll(() => server.close());

  it('authenticates with the user and password of SMTP_URL', async () => {
    const mailer = createMailer({ smtpUrl: server.url, from });
    try {
      expect(server.url).toContain('conduit:p%40ss%3Aword@');
      expect(mailer.target).not.toContain('word');
      await mailer.send({ to: 'bob@example.com', subject: 'Signed in', text: 't', html: '<p>h</p>' });
      const [mail] = await server.waitForMessages(1);
      expect(mail.user).toBe('conduit');
      expect(mail.parsed.subject).toBe('Signed in');
    } finally {
      await mailer.close();
    }
  });

  it('fails verify() and send() on a wrong password, without retrying for long, and not as permanent', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://conduit:wrong@127.0.0.1:${server.port}`, from });
    try {
      await expect(mailer.verify()).rejects.toMatchObject({ code: 'EAUTH', permanent: false });
      const { ms, error } = await elapsed(mailer.send({ to: 'bob@example.com', subject: 's', text: 't', html: 'h' }));
      expect(error).toMatchObject({ name: 'MailDeliveryError', code: 'EAUTH', permanent: false });
      expect((error as Error).message).not.toContain('wrong');
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    } finally {
      await mailer.close();
    }
  });
});

describe('SmtpMailer when the server is not there', () => {
  it('rejects send() quickly when the port is closed (connection refused)', async () => {
    const port = await closedPort();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from });
    try {
      const { ms, error } = await elapsed(mailer.send({ to: 'bob@example.com', subject: 's', text: 't', html: 'h' }));
      expect(error).toBeInstanceOf(MailDeliveryError);
      expect(error).toMatchObject({ permanent: false });
      expect((error as Error).message).toContain(`SMTP delivery through smtp://127.0.0.1:${port} failed`);
      expect(ms).toBeLessThan(FAIL_FAST_MS);
      await expect(mailer.verify()).rejects.toThrow(MailDeliveryError);
    } finally {
      await mailer.close();
    }
  });

  it('gives up on a server that accepts the connection and never answers, after the greeting timeout', async () => {
    const silent = await startSilentServer();
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${silent.port}`, from, greetingTimeoutMs: 300 });
    try {
      const { ms, error } = await elapsed(mailer.send({ to: 'bob@example.com', subject: 's', text: 't', html: 'h' }));
      expect(error).toMatchObject({ name: 'MailDeliveryError', code: 'ETIMEDOUT', permanent: false });
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    } finally {
      await mailer.close();
      await silent.close();
    }
  });

  it('cuts off the whole send at sendTimeoutMs, whatever the step', async () => {
    const silent = await startSilentServer();
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${silent.port}`, from, sendTimeoutMs: 200 });
    try {
      const { ms, error } = await elapsed(mailer.send({ to: 'bob@example.com', subject: 's', text: 't', html: 'h' }));
      expect(error).toMatchObject({ name: 'MailDeliveryError', code: 'EABORT', permanent: false });
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    } finally {
      await mailer.close();
      await silent.close();
    }
  });
});
