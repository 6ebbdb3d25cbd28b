/**
 * @roadmap security.password-hashing, security.owasp, auth.registration-login
 * Look at the password rules of OWASP ASVS 5.0 (V6.2): a minimum length of 8 and a generous
 * maximum (the DTOs: 8 to 256 characters, no composition rules, compared exactly as typed, never
 * truncated: argon2id hashes every byte), no password equal to the account's own username or
 * email, and an opt-in check against breached passwords that never sends the password: only the
 * first 5 hex digits of its SHA-1 leave the process (the k-anonymity range API of Have I Been
 * Pwned, or any server that answers the same way).
 */
import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { InvalidInputError } from '../common/errors/domain-errors';

/** Who the password is for: a password that is one of these is the first thing anyone tries. */
export interface PasswordOwner {
  email?: string;
  username?: string;
}

export const BREACHED_PASSWORD = 'has appeared in a data breach; choose another';
export const PASSWORD_IS_IDENTITY = 'must not be your username or email';

@Injectable()
export class PasswordPolicy {
  private readonly logger = new Logger(PasswordPolicy.name);

  constructor(private readonly config: AppConfig) {}

  /** Throws InvalidInputError({ password: [...] }) for a password the policy refuses. */
  async check(password: string, owner: PasswordOwner): Promise<void> {
    const lower = password.toLowerCase();
    if ([owner.email, owner.username].some((value) => value !== undefined && value.toLowerCase() === lower)) {
      throw new InvalidInputError({ password: [PASSWORD_IS_IDENTITY] });
    }
    if (await this.isBreached(password)) throw new InvalidInputError({ password: [BREACHED_PASSWORD] });
  }

  /**
   * Asks the range API for every breached SHA-1 sharing the first 5 hex digits, and looks for
   * ours among them locally. Unreachable or slow, the check is skipped (and logged): an outage of
   * a third party must not stop sign-ups; the length rule and argon2id still apply.
   */
  private async isBreached(password: string): Promise<boolean> {
    const { breachCheckUrl, breachCheckTimeoutMs } = this.config.passwordPolicy;
    if (!breachCheckUrl) return false;
    const digest = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const [prefix, suffix] = [digest.slice(0, 5), digest.slice(5)];
    try {
      const response = await fetch(`${breachCheckUrl}/${prefix}`, {
        // Padding: the answer's size does not tell an observer how many hashes matched.
        headers: { 'add-padding': 'true', 'user-agent': 'backend-roadmap-capstone' },
        signal: AbortSignal.timeout(breachCheckTimeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.text();
      return body.split('\n').some((line) => {
        const [candidate, count] = line.trim().split(':');
        // Padding lines have a count of 0.
        return candidate === suffix && Number(count) > 0;
      });
    } catch (error) {
      this.logger.warn(`Breached-password check skipped: ${breachCheckUrl} did not answer (${String(error)})`);
      return false;
    }
  }
}
