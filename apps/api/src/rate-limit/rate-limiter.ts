/**
 * @roadmap security.rate-limiting, auth.registration-login
 * Look at the limits as named policies built once from the configuration (every request, login and
 * registration per address, failed logins per account) and counted through one store, with no
 * HTTP in sight: the REST guard uses it today, a GraphQL resolver or a WebSocket gateway can too.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { RateLimitStore } from './rate-limit.store';

/** The limits a route can add to the default with `@RateLimit(...)`. */
export type RouteLimitName = 'login' | 'registration';
export type LimitName = 'requests' | RouteLimitName | 'loginFailures';

export interface Limit {
  /** Names what was limited in the 429 body: `{"errors": {"<key>": [...]}}`. */
  key: string;
  max: number;
  windowMs: number;
}

/** Where a client stands after a hit: what the RateLimit-* headers and a 429 report. */
export interface LimitState {
  limit: Limit;
  /** True when this hit went past `limit.max`: refuse the request. */
  exceeded: boolean;
  /** Hits left in the window (0 when exceeded). */
  remaining: number;
  /** Whole seconds until the window ends, at least 1 (Retry-After and RateLimit-Reset). */
  resetSeconds: number;
  /** Takes the hit back (a login that turned out to succeed). */
  undo(): Promise<void>;
}

@Injectable()
export class RateLimiter {
  readonly enabled: boolean;
  private readonly limits: Record<LimitName, Limit>;
  private readonly keyPrefix: string;

  constructor(
    config: AppConfig,
    private readonly store: RateLimitStore,
  ) {
    const { rateLimit } = config;
    this.enabled = rateLimit.enabled;
    this.keyPrefix = `${config.redisKeyPrefix}rl:`;
    const auth = (key: string, max: number): Limit => ({ key, max, windowMs: rateLimit.authWindowSeconds * 1000 });
    this.limits = {
      requests: { key: 'requests', max: rateLimit.max, windowMs: rateLimit.windowSeconds * 1000 },
      login: auth('login', rateLimit.authMaxPerIp),
      registration: auth('registration', rateLimit.authMaxPerIp),
      // Both login limits answer with the key `login`: either way, logging in is refused for a while.
      loginFailures: auth('login', rateLimit.loginFailuresPerAccount),
    };
  }

  /**
   * Counts one hit of `subject` (a client bucket, an account) against the named limit.
   * Never throws because of the store: the store falls back to memory by itself.
   */
  async hit(name: LimitName, subject: string): Promise<LimitState> {
    const limit = this.limits[name];
    const { count, resetInMs, undo } = await this.store.hit(`${this.keyPrefix}${name}:${subject}`, limit.windowMs);
    return {
      limit,
      exceeded: count > limit.max,
      remaining: Math.max(0, limit.max - count),
      resetSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
      undo,
    };
  }
}

/**
 * The subject for an account's failed logins: the email as the users service compares it (trimmed,
 * lower case), hashed so that Redis holds no email addresses in its key names.
 */
export function accountSubject(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}
