/**
 * @roadmap auth.token-authentication, frameworks.middleware
 * Look at how a Passport strategy (registered with @nestjs/passport as "jwt") hands the request
 * to the AccessVerifier and reports the outcome in Passport's words: `success` with the user,
 * `fail` for a credential we refuse (401 with the reason), `error` for anything else (500).
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as PassportStrategyBase } from 'passport-strategy';
import { DomainError, UnauthenticatedError } from '../common/errors/domain-errors';
import type { RequestLike } from '../common/request-of';
import { AccessVerifier } from './access-verifier';
import type { AuthenticatedUser } from './authenticated-user';
import { credentialFromRequest } from './credentials';

/** Extracts the raw token of `Authorization: Token <t>` / `Bearer <t>`, or null. Cookies excluded. */
export function tokenFromRequest(request: Pick<RequestLike, 'headers'>): string | null {
  const credential = credentialFromRequest(request);
  return credential?.from === 'header' ? credential.token : null;
}

type Done = (error: unknown, user?: AuthenticatedUser | false | null) => void;

/**
 * Passport's strategy contract: `authenticate(request)` ends in success, fail or error. The
 * verify function is the one @nestjs/passport builds around `validate` below.
 */
class CredentialStrategy extends PassportStrategyBase {
  constructor(private readonly verify: (request: RequestLike, done: Done) => void) {
    super();
  }

  /**
   * Typed by @types/passport-strategy as an Express request; on Fastify it is Fastify's.
   * `options.verifier` is the guard's own: Passport keeps one strategy per name per process, so
   * with two apps in one process (tests, a second instance) the last one registered would
   * otherwise verify every app's requests against its own database.
   */
  override authenticate(request: unknown, options?: { verifier?: AccessVerifier }): void {
    const done: Done = (error, user) => {
      // A refused credential is a failure with its reason (the guard turns it into the 401 body).
      if (error instanceof DomainError) return this.fail(error, 401);
      if (error) return this.error(error as Error);
      return user ? this.success(user) : this.fail(UnauthenticatedError.token('is missing'), 401);
    };
    if (!options?.verifier) return this.verify(request as RequestLike, done);
    options.verifier.authenticateRequest(request as RequestLike).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }
}

@Injectable()
export class JwtStrategy extends PassportStrategy(CredentialStrategy, 'jwt') {
  constructor(private readonly verifier: AccessVerifier) {
    super();
  }

  /** Undefined for a request with no credential at all; throws for a credential we refuse. */
  validate(request: RequestLike): Promise<AuthenticatedUser | undefined> {
    return this.verifier.authenticateRequest(request);
  }
}
