/**
 * @roadmap devops.local-development, testing.unit
 * Look at the quick start's mailer: with no SMTP_URL, createMailer returns the log adapter, which
 * writes what would have been sent and opens no connection at all.
 */
import { createTransport } from 'nodemailer';
import { createMailer } from './create-mailer';
import { newFollowerEmail } from './emails';
import { LogMailer } from './log-mailer';

// Every nodemailer function replaced by a mock: any attempt to build a transport would show.
jest.mock('nodemailer');

const from = 'Conduit <no-reply@conduit.localhost>';

describe('createMailer without SMTP_URL: the log adapter', () => {
  it('logs a one-line summary and the text body, and sends nothing', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ from }, (line) => lines.push(line));
    expect(mailer).toBeInstanceOf(LogMailer);
    expect(mailer.transport).toBe('log');
    expect(mailer.target).toBe('log');

    const message = newFollowerEmail({
      to: { email: 'bob@example.com', username: 'bob' },
      follower: { username: 'alice' },
      publicUrl: 'http://localhost:3000',
    });
    const result = await mailer.send(message);

    expect(result).toEqual({ messageId: '<new-follower.alice.bob@localhost>' });
    expect(lines).toHaveLength(1);
    const [summary, ...body] = lines[0].split('\n');
    expect(summary).toBe(
      'mail not sent (SMTP_URL is unset): from Conduit <no-reply@conduit.localhost> to bob@example.com, ' +
        'subject "alice is now following you on Conduit", <new-follower.alice.bob@localhost>',
    );
    expect(body.join('\n')).toBe(message.text.replace(/^(?=.)/gm, '    '));
    expect(body).toContain('');
    expect(body).toContain('    alice is now following you on Conduit.');
    expect(lines[0]).not.toContain('<html');
    expect(createTransport).not.toHaveBeenCalled();
  });

  it('makes up a Message-ID when the message has none; verify and close do nothing', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ from, smtpUrl: '' }, (line) => lines.push(line));
    const { messageId } = await mailer.send({ to: 'a@example.com', subject: 's', text: 'one\r\ntwo\n', html: '' });
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@log\.invalid>$/);
    expect(lines[0].split('\n').slice(1)).toEqual(['    one', '    two']);
    await expect(mailer.verify()).resolves.toBeUndefined();
    await expect(mailer.close()).resolves.toBeUndefined();
    expect(createTransport).not.toHaveBeenCalled();
  });

  it('writes to stdout when no log function is given', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await createMailer({ from }).send({ to: 'a@example.com', subject: 's', text: 't', html: '' });
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^mail not sent .* to a@example\.com, .*\n {4}t\n$/));
    } finally {
      write.mockRestore();
    }
  });
});
