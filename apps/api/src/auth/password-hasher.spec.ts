/**
 * @roadmap security.password-hashing, testing.unit
 * Look at what a stored password looks like (an argon2id PHC string with OWASP's cost parameters), how verification fails closed, and how hashing beyond the cap is refused as "busy" rather than queued without end.
 */
import { hash } from '@node-rs/argon2';
import { loadConfig } from '@capstone/config';
import { UnavailableError } from '../common/errors/domain-errors';
import { ARGON2_OPTIONS, PasswordHasher } from './password-hasher';

const hasherWith = (concurrency: number, queue: number) =>
  new PasswordHasher(
    loadConfig({ PASSWORD_HASHING_CONCURRENCY: String(concurrency), PASSWORD_HASHING_QUEUE: String(queue) }),
  );

/** Reads `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` into its parts. */
function parsePhc(phc: string) {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    phc,
  );
  if (!match) throw new Error(`not an argon2 PHC string: ${phc}`);
  const [, algorithm, version, m, t, p, salt, hash] = match;
  return { algorithm, version: Number(version), m: Number(m), t: Number(t), p: Number(p), salt, hash };
}

describe('PasswordHasher', () => {
  const hasher = hasherWith(2, 32);
  const password = 'correct horse battery staple';
  let stored: string;

  beforeAll(async () => {
    stored = await hasher.hash(password);
  });

  it('configures argon2id with at least the OWASP minimum cost (m=19456 KiB, t=2, p=1)', () => {
    expect(ARGON2_OPTIONS.algorithm).toBe(2); // Algorithm.Argon2id
    expect(ARGON2_OPTIONS.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(ARGON2_OPTIONS.timeCost).toBeGreaterThanOrEqual(2);
    expect(ARGON2_OPTIONS.parallelism).toBe(1);
  });

  it('produces an argon2id PHC string carrying those parameters', () => {
    const phc = parsePhc(stored);
    expect(phc.algorithm).toBe('argon2id');
    expect(phc.version).toBe(19);
    expect(phc.m).toBeGreaterThanOrEqual(19_456);
    expect(phc.t).toBeGreaterThanOrEqual(2);
    expect(phc.p).toBe(1);
  });

  it('uses a salt of at least 16 bytes and a 32-byte hash', () => {
    const phc = parsePhc(stored);
    // Unpadded base64: 16 bytes -> 22 characters, 32 bytes -> 43 characters.
    expect(Buffer.from(phc.salt, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(phc.hash, 'base64').length).toBe(32);
  });

  it('never contains the password', () => {
    expect(stored).not.toContain(password);
  });

  it('verifies the right password', async () => {
    await expect(hasher.verify(stored, password)).resolves.toBe(true);
  });

  it.each([
    ['a wrong password', 'Correct horse battery staple'],
    ['an empty password', ''],
    ['the password with a trailing space', `${password} `],
  ])('rejects %s', async (_label, attempt) => {
    await expect(hasher.verify(stored, attempt)).resolves.toBe(false);
  });

  it('salts every hash: two hashes of one password differ, and both verify', async () => {
    const again = await hasher.hash(password);
    expect(again).not.toBe(stored);
    expect(parsePhc(again).salt).not.toBe(parsePhc(stored).salt);
    await expect(hasher.verify(again, password)).resolves.toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not-a-hash'],
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    ['a truncated PHC string', '$argon2id$v=19$m=19456,t=2,p=1$KNf3XKmFym+LCASR2E9Xyw'],
    [
      'a PHC string with a garbled parameter',
      '$argon2id$v=19$m=abc,t=2,p=1$KNf3XKmFym+LCASR2E9Xyw$a0gQOrk4tZuNxc6VkTvXFjttXNcxXluPjt06ShF/fzg',
    ],
  ])('treats %s as a stored hash that matches nothing (false, no throw)', async (_label, malformed) => {
    await expect(hasher.verify(malformed, password)).resolves.toBe(false);
  });

  it('still verifies a hash made with other parameters, since they travel in the PHC string', async () => {
    const cheaper = await hash(password, { algorithm: 2, memoryCost: 8_192, timeCost: 1, parallelism: 1 });
    expect(parsePhc(cheaper).m).toBe(8_192);
    await expect(hasher.verify(cheaper, password)).resolves.toBe(true);
  });

  describe('the cap on concurrent hashing', () => {
    it('refuses work beyond the running slot and the queue with UnavailableError("server"), Retry-After 1', async () => {
      const capped = hasherWith(1, 2);
      const attempts = Array.from({ length: 6 }, (_, i) =>
        capped.verify(stored, i === 0 ? password : 'wrong').then(
          (valid) => ({ valid }),
          (error: unknown) => ({ error }),
        ),
      );
      const outcomes = await Promise.all(attempts);
      // One running and two waiting were admitted, in order; the three after them were refused.
      expect(outcomes.slice(0, 3)).toEqual([{ valid: true }, { valid: false }, { valid: false }]);
      for (const outcome of outcomes.slice(3)) {
        const error = (outcome as { error: UnavailableError }).error;
        expect(error).toBeInstanceOf(UnavailableError);
        expect(error.retryAfterSeconds).toBe(1);
        expect(error.details).toEqual({ server: ['is busy; retry shortly'] });
      }
    });

    it('caps hash() too, and serves again once the burst is over', async () => {
      const capped = hasherWith(1, 0);
      const [first, second] = await Promise.allSettled([capped.hash(password), capped.hash(password)]);
      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({ status: 'rejected', reason: expect.any(UnavailableError) });
      await expect(capped.verify(await capped.hash(password), password)).resolves.toBe(true);
    });

    it('still answers false (not busy) for a malformed hash, and frees its slot', async () => {
      const capped = hasherWith(1, 0);
      await expect(capped.verify('not-a-hash', password)).resolves.toBe(false);
      await expect(capped.verify(stored, password)).resolves.toBe(true);
    });
  });
});
