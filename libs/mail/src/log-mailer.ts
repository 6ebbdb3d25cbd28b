/**
 * @roadmap architecture.hexagonal, devops.local-development
 * Look at the second adapter of the same port: with no SMTP server configured (the embedded quick
 * start), a message is written to the log instead of sent, so a developer sees what would have
 * gone out without installing anything, and nothing ever leaves the machine.
 */
import { randomUUID } from 'node:crypto';
import type { MailMessage, Mailer } from './mailer';

export class LogMailer implements Mailer {
  readonly transport = 'log';
  readonly target = 'log';

  constructor(
    private readonly from: string,
    private readonly log: (line: string) => void,
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const messageId = message.messageId ?? `<${randomUUID()}@log.invalid>`;
    const summary =
      `mail not sent (SMTP_URL is unset): from ${this.from} to ${message.to}, ` +
      `subject ${JSON.stringify(message.subject)}, ${messageId}`;
    // The text body, indented under the summary (blank lines stay blank), so one log entry holds
    // the whole message.
    const body = message.text
      .replace(/\r\n?/g, '\n')
      .trimEnd()
      .replace(/^(?=.)/gm, '    ');
    this.log(`${summary}\n${body}`);
    return { messageId };
  }

  async verify(): Promise<void> {}

  async close(): Promise<void> {}
}
