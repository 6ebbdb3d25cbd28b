/**
 * @roadmap security.password-hashing, security.rate-limiting, scaling.performance
 * Look at the argon2id parameters (OWASP's minimum is m=19 MiB, t=2, p=1; the cost is the point)
 * and at the cap on how many hashes run at once: that cost makes every login an easy way to
 * overload the server, so excess work waits in a short queue or is refused with 503.
 */
import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';
import { AppConfig } from '@capstone/config';
import { UnavailableError } from '../common/errors/domain-errors';
import { ConcurrencyLimiter, QueueFullError } from '../rate-limit/concurrency-limiter';

/** `Algorithm` is a const enum in @node-rs/argon2's typings, which SWC cannot inline; 2 is Argon2id. */
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet, argon2id: m=19456 KiB, t=2, p=1. */
export const ARGON2_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** A refused hash is retried after a second: by then the queue has moved on by many hashes. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Measured on main (2 cores): 16 concurrent wrong-password logins pushed an unrelated request to
 * 0.8 s. Each argon2 run takes a libuv thread, ~19 MiB and a core for tens of milliseconds; with
 * no cap, a burst of logins starves the event loop's core and every other request waits.
 */
@Injectable()
export class PasswordHasher {
  private readonly slots: ConcurrencyLimiter;

  constructor(config: AppConfig) {
    this.slots = new ConcurrencyLimiter(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  /** Returns a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): salt and parameters travel with it. */
  hash(password: string): Promise<string> {
    return this.capped(() => hash(password, ARGON2_OPTIONS));
  }

  /** Verifies in constant time; a malformed stored hash counts as a mismatch, not a crash. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    return this.capped(async () => {
      try {
        return await verify(storedHash, password);
      } catch {
        return false;
      }
    });
  }

  private async capped<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(work);
    } catch (error) {
      // `server`: the body reads {"errors": {"server": ["is busy; retry shortly"]}}.
      if (error instanceof QueueFullError) throw new UnavailableError('server', RETRY_AFTER_SECONDS, { cause: error });
      throw error;
    }
  }
}
