/**
 * @roadmap auth.jwt, security.authorization, frameworks.middleware
 * Look at the two guards: one makes a route require a signed-in user (401 otherwise), the other
 * lets anonymous readers through but still rejects a bad token. Both then check the credential's
 * scope: reading needs `read`, writing `write` (a read-only personal access token cannot post),
 * and managing the account (`@RequireScope('account')`) a real sign-in. Neither assumes HTTP:
 * they read the request through `requestOf`, so a GraphQL resolver can use them too.
 */
import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../common/errors/domain-errors';
import { requestOf } from '../common/request-of';
import { AccessVerifier } from './access-verifier';
import type { AuthenticatedUser } from './authenticated-user';
import { credentialFromRequest, isSafeMethod, type Scope } from './credentials';

const REQUIRED_SCOPE = 'auth:required-scope';

/** The scope a handler needs beyond what its method implies (e.g. `account` to manage tokens). */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** A GraphQL mutation or an HTTP write needs `write`; everything else `read`. */
function impliedScope(context: ExecutionContext): Scope {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getInfo<{ operation?: { operation?: string } }>()?.operation
      ?.operation === 'mutation'
      ? 'write'
      : 'read';
  }
  return isSafeMethod(requestOf(context)?.method) ? 'read' : 'write';
}

export class InsufficientScopeError extends ForbiddenError {
  constructor(scope: Scope) {
    super('token', `lacks the "${scope}" scope`);
  }
}

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessVerifier,
  ) {
    super();
  }

  /** Handed to the strategy: this app's verifier, whichever app registered "jwt" with Passport last. */
  override getAuthenticateOptions() {
    return { verifier: this.verifier };
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // No request at all (a transport without one): nobody to authenticate.
    if (!requestOf(context)) throw UnauthenticatedError.token('is missing');
    await super.canActivate(context);
    this.checkScope(context, requestOf(context)!.user!);
    return true;
  }

  protected checkScope(context: ExecutionContext, user: AuthenticatedUser): void {
    const required = [
      impliedScope(context),
      // A context built by hand (a job, a test) may name no handler or class.
      this.reflector.getAllAndOverride<Scope | undefined>(
        REQUIRED_SCOPE,
        [context.getHandler(), context.getClass()].filter(Boolean),
      ),
    ];
    for (const scope of required) {
      if (scope && !user.credential.scopes.includes(scope)) throw new InsufficientScopeError(scope);
    }
  }

  /** Passport reads the token from what this returns; the default assumes an HTTP context. */
  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (user) return user;
    if (info instanceof DomainError) throw info;
    throw UnauthenticatedError.token('is invalid');
  }
}

/** Anonymous requests pass with no user; a request that sends a credential must send a valid one. */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    if (!request || (request.headers.authorization === undefined && !credentialFromRequest(request))) return true;
    return super.canActivate(context);
  }
}
