/**
 * @roadmap security.password-hashing
 * Look at the argon2id parameters: OWASP's minimum is m=19 MiB, t=2, p=1; the cost is the point.
 */
import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';

/** `Algorithm` is a const enum in @node-rs/argon2's typings, which SWC cannot inline; 2 is Argon2id. */
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet, argon2id: m=19456 KiB, t=2, p=1. */
export const ARGON2_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

@Injectable()
export class PasswordHasher {
  /** Returns a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): salt and parameters travel with it. */
  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Verifies in constant time; a malformed stored hash counts as a mismatch, not a crash. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }
}
