/**
 * @roadmap security.password-hashing, testing.unit
 * Look at what a stored password looks like (an argon2id PHC string with OWASP's cost parameters) and how verification fails closed.
 */
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS, PasswordHasher } from './password-hasher';

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
  const hasher = new PasswordHasher();
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
});
