/**
 * @roadmap architecture.hexagonal, messaging.background-jobs
 * Look at the SMTP adapter: one pool of connections reused across messages, timeouts on every
 * step so a dead or stalled server fails the job within seconds (and the job queue retries it)
 * instead of holding a worker slot, and errors that say whether a retry can ever succeed.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { MailMessage, Mailer } from './mailer';

export interface SmtpMailerOptions {
  /** `smtp://[user:password@]host[:port]` (STARTTLS when offered) or `smtps://...` (TLS from the start). */
  url: string;
  /** The sender of every message, e.g. `Conduit <no-reply@conduit.example.com>`. */
  from: string;
  /** Overrides of SMTP_DEFAULTS (tests shorten the timeouts). */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  sendTimeoutMs?: number;
  maxConnections?: number;
}

/**
 * nodemailer's own defaults wait 2 minutes for a connection and 10 for an idle socket: a job
 * would hang that long on a black-holed server. These bound every step instead.
 */
export const SMTP_DEFAULTS = {
  /** TCP (and TLS) connection established. A refused connection fails at once anyway. */
  connectionTimeoutMs: 5_000,
  /** The server's `220` greeting after connecting. */
  greetingTimeoutMs: 5_000,
  /** Silence on the socket during any command, the message data included. */
  socketTimeoutMs: 15_000,
  /** The whole send, queueing in the pool included: a server trickling bytes is cut off here. */
  sendTimeoutMs: 30_000,
  /** Connections kept open to the server; a notification worker needs few. */
  maxConnections: 2,
} as const;

/** A failed delivery, with what the job that sent it needs to decide on a retry. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  /** nodemailer's code: `ECONNECTION`, `ETIMEDOUT`, `EAUTH`, `EENVELOPE`, `EMESSAGE`, `EABORT`... */
  readonly code: string | undefined;
  /** The SMTP reply code when the server answered (e.g. 550), else undefined. */
  readonly responseCode: number | undefined;
  /**
   * True when the server refused this message itself (a 5xx reply to the envelope or the data,
   * e.g. an unknown mailbox): sending it again will fail again. Connection failures, timeouts,
   * 4xx replies and authentication failures (a configuration fix helps) are not permanent.
   */
  readonly permanent: boolean;

  constructor(target: string, cause: unknown) {
    const details = (cause ?? {}) as { message?: unknown; code?: unknown; responseCode?: unknown };
    const reason = typeof details.message === 'string' ? details.message : String(cause);
    super(`SMTP delivery through ${target} failed: ${reason}`, { cause });
    this.code = typeof details.code === 'string' ? details.code : undefined;
    this.responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
    this.permanent =
      this.responseCode !== undefined &&
      this.responseCode >= 500 &&
      (this.code === 'EENVELOPE' || this.code === 'EMESSAGE');
  }
}

/** `smtp://user:secret@mail.example.com:587` -> `smtp://mail.example.com:587`: safe to log. */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'smtp://(invalid URL)';
  }
}

export class SmtpMailer implements Mailer {
  readonly transport = 'smtp';
  readonly target: string;
  private readonly from: string;
  private readonly sendTimeoutMs: number;
  private readonly transporter: Transporter;

  constructor(options: SmtpMailerOptions) {
    const settings = { ...SMTP_DEFAULTS, ...withoutUndefined(options) };
    this.target = redactSmtpUrl(options.url);
    this.from = options.from;
    this.sendTimeoutMs = settings.sendTimeoutMs;
    this.transporter = createTransport({
      // nodemailer reads the host, port, TLS mode and credentials from the URL.
      url: options.url,
      pool: true,
      maxConnections: settings.maxConnections,
      // A connection the server dropped mid-message is tried once more on a fresh one; beyond
      // that, the job's own retries (with backoff) take over.
      maxRequeues: 1,
      connectionTimeout: settings.connectionTimeoutMs,
      greetingTimeout: settings.greetingTimeoutMs,
      socketTimeout: settings.socketTimeoutMs,
      dnsTimeout: settings.connectionTimeoutMs,
      // Message content is always given as strings: never let a value be read as a file path or
      // fetched as a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: message.headers,
        signal: AbortSignal.timeout(this.sendTimeoutMs),
      });
      return { messageId: info.messageId };
    } catch (error) {
      throw new MailDeliveryError(this.target, error);
    }
  }

  async verify(): Promise<void> {
    try {
      await this.transporter.verify();
    } catch (error) {
      throw new MailDeliveryError(this.target, error);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
