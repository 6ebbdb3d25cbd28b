/**
 * @roadmap observability.logging, testing.unit
 * Look at what the shared logger promises: JSON lines with a name, a level label and an ISO time,
 * credentials replaced by "[redacted]" however deep they sit, nothing at all at level silent, and
 * pretty lines that still say the level and the process.
 */
import { createLogger, REDACTED } from './logger';
import { captureLines } from './testing/capture-lines';

/** What a test reads of one line: nested objects as logged. */
type Nested = { [key: string]: Nested } & Record<string, unknown>;

describe('createLogger', () => {
  it('writes one JSON object per line with name, level label, ISO time and message', () => {
    const lines = captureLines();
    createLogger({ name: 'api', level: 'info', format: 'json', destination: lines }).info({ status: 200 }, 'hello');
    expect(lines.raw).toHaveLength(1);
    expect(lines.raw[0].endsWith('\n')).toBe(true);
    const [entry] = lines.entries();
    expect(entry).toMatchObject({ name: 'api', level: 'info', msg: 'hello', status: 200 });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });

  it('replaces credential headers and fields, at any of the first levels, by [redacted]', () => {
    const lines = captureLines();
    const logger = createLogger({ name: 'api', level: 'info', format: 'json', destination: lines });
    logger.info({
      req: {
        headers: {
          authorization: 'Token eyJ.secret.jwt',
          cookie: 'session=abc',
          'x-csrf-token': 'csrf-value',
          accept: 'application/json',
        },
      },
      res: { headers: { 'set-cookie': 'refresh=def' } },
      body: { user: { email: 'jake@example.com', password: 'hunter2hunter2' } },
      token: 'top-level-token',
      session: { refreshToken: 'r1', accessToken: 'a1' },
      config: { mail: { smtp: { secret: 's3' } } },
    });
    const text = lines.text();
    for (const secret of [
      'eyJ.secret.jwt',
      'session=abc',
      'csrf-value',
      'refresh=def',
      'hunter2hunter2',
      'top-level-token',
      '"r1"',
      '"a1"',
      '"s3"',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [entry] = lines.entries() as unknown as Nested[];
    expect(entry.req.headers).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'x-csrf-token': REDACTED,
      accept: 'application/json',
    });
    expect(entry.body.user).toEqual({ email: 'jake@example.com', password: REDACTED });
    expect(entry.config.mail.smtp.secret).toBe(REDACTED);
  });

  it('writes nothing at level silent', () => {
    const lines = captureLines();
    const logger = createLogger({ name: 'api', level: 'silent', format: 'json', destination: lines });
    logger.error(new Error('boom'));
    logger.fatal('gone');
    expect(lines.raw).toEqual([]);
  });

  it('serialises an error with its type, message and stack under err', () => {
    const lines = captureLines();
    createLogger({ name: 'worker', level: 'info', format: 'json', destination: lines }).error(
      { err: new TypeError('bad thing') },
      'failed',
    );
    const [entry] = lines.entries();
    expect(entry.err).toMatchObject({ type: 'TypeError', message: 'bad thing' });
    expect(entry.err?.stack).toMatch(/TypeError: bad thing\n\s+at /);
  });

  it('pretty: one readable line with the level, the process name, the context and the fields', () => {
    const lines = captureLines();
    const logger = createLogger({ name: 'api', level: 'info', format: 'pretty', destination: lines });
    logger.warn({ context: 'Config', password: 'hunter2hunter2' }, 'JWT_SECRET is not set');
    expect(lines.text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(api\): \[Config\] JWT_SECRET is not set/);
    expect(lines.text()).not.toContain('hunter2hunter2');
    expect(lines.text().trimEnd().split('\n')).toHaveLength(1);
  });
});
