/**
 * @roadmap testing.integration
 * Look at a real SMTP server started inside the test process (the `smtp-server` package) on
 * 127.0.0.1 and a free port: messages travel over a real socket through nodemailer, and the test
 * reads what arrived, parsed by `mailparser`, instead of trusting a mock of the transport.
 * For tests only: not compiled into dist/, and its packages are dev dependencies.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface ReceivedMail {
  /** The SMTP envelope: `MAIL FROM` and the `RCPT TO` addresses, as the server saw them. */
  envelope: { from: string; to: string[] };
  /** The user that authenticated, if any. */
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  /** When each message's data arrived, accepted or not: a retry schedule shows here. */
  attempts: Array<{ at: number; to: string[] }>;
  /** `smtp://127.0.0.1:<port>`, with the credentials when the server requires them. */
  url: string;
  /** Every message received so far, in order. */
  received: ReceivedMail[];
  /** Resolves once `count` messages have arrived; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface TestSmtpServerOptions {
  /** Require `AUTH` with these credentials (plain text is allowed: it is a loopback test). */
  credentials?: { user: string; password: string };
  /** Refuse these recipients with `550` (a mailbox that does not exist). */
  rejectRecipients?: string[];
  /**
   * Called with each message's data before the server answers: wait in it to play a slow server,
   * throw an error with a `responseCode` (451: try later, 554: never) to refuse the message.
   * A message whose client hung up meanwhile is not counted as received.
   */
  beforeAccept?: (message: { attempt: number; to: string[] }) => Promise<void> | void;
}

export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const attempts: TestSmtpServer['attempts'] = [];
  const closedSessions = new Set<string>();
  const waiters = new Set<() => void>();
  const { credentials } = options;
  const rejected = new Set((options.rejectRecipients ?? []).map((address) => address.toLowerCase()));

  const server = new SMTPServer({
    // No certificate here: STARTTLS is not offered, so the client does not try it.
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(`No such mailbox: ${address.address}`), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((recipient) => recipient.address);
        attempts.push({ at: Date.now(), to });
        Promise.resolve()
          .then(() => options.beforeAccept?.({ attempt: attempts.length, to }))
          .then(() => simpleParser(raw))
          .then(
            (parsed) => {
              if (closedSessions.has(session.id)) return callback(); // the client is gone: not delivered
              const mailFrom = session.envelope.mailFrom;
              received.push({
                envelope: {
                  from: mailFrom ? mailFrom.address : '',
                  to: session.envelope.rcptTo.map((recipient) => recipient.address),
                },
                user: typeof session.user === 'string' ? session.user : undefined,
                raw,
                parsed,
              });
              for (const wake of waiters) wake();
              callback();
            },
            (error: Error) => callback(error),
          );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  const auth = credentials
    ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
    : '';

  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    attempts,
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the test SMTP server got ${received.length} of ${count} messages in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that nothing listens on: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP server that accepts connections and never says a word: an SMTP server that hangs, which
 * only a client's own timeouts get away from.
 */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
