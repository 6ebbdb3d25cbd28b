/**
 * @roadmap architecture.hexagonal
 * Look at the port: what the rest of the code may ask of "email" (send one message, check the
 * server, close), with nothing of SMTP or nodemailer in it. Two adapters implement it (SMTP and the
 * log), and createMailer picks one from the configuration.
 */

/** One message, fully rendered: the sender comes from the configuration, not from here. */
export interface MailMessage {
  /** One address, e.g. `alice@example.com`. */
  to: string;
  subject: string;
  /** The plain-text body: every message has one, for clients (and people) that read no HTML. */
  text: string;
  html: string;
  /**
   * A Message-ID derived from what the message is about (e.g. `<new-follower.alice.bob@host>`),
   * so a message sent twice (a retried job) is recognisable as the same message by the receiving
   * side. Unset: the transport makes up a unique one.
   */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** `smtp`: messages leave the process; `log`: they are written to the log and go nowhere. */
  readonly transport: 'smtp' | 'log';
  /** Where messages go, without credentials: `smtp://mail.example.com:587` or `log`. */
  readonly target: string;
  /** Resolves with the Message-ID the message was sent with; rejects within a bounded time. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** Connects and authenticates (SMTP) without sending anything: a start-up or health check. */
  verify(): Promise<void>;
  /** Closes idle connections; a delivery in progress finishes first. */
  close(): Promise<void>;
}
