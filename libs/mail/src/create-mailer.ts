/**
 * @roadmap architecture.hexagonal, architecture.twelve-factor-config
 * Look at where the adapter is chosen: from the configuration alone (SMTP_URL set or not), once,
 * at start-up. Callers hold a Mailer and never learn which one they got.
 */
import type { MailConfig } from '@capstone/config';
import { LogMailer } from './log-mailer';
import type { Mailer } from './mailer';
import { SmtpMailer } from './smtp-mailer';

/** SMTP when `config.smtpUrl` is set, else the log (through `log`; stdout by default). */
export function createMailer(config: MailConfig, log: (line: string) => void = writeToStdout): Mailer {
  if (config.smtpUrl) return new SmtpMailer({ url: config.smtpUrl, from: config.from });
  return new LogMailer(config.from, log);
}

function writeToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
