/**
 * @roadmap frameworks.middleware, testing.unit
 * Look at the same guard and the same current-user decorator working for an HTTP request, a GraphQL resolver's context, and a call with no request at all.
 */
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { AccessVerifier } from '../auth/access-verifier';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import { currentUserOf } from '../auth/current-user.decorator';
import { UnauthenticatedError } from './errors/domain-errors';
import { requestOf, type RequestLike } from './request-of';

const user: AuthenticatedUser = {
  id: 1,
  email: 'a@b.c',
  username: 'a',
  bio: null,
  image: null,
  token: 't',
  role: 'user',
  credential: { kind: 'token', scopes: ['read', 'write', 'account'] },
};

function httpContext(request: RequestLike) {
  return new ExecutionContextHost([request, {}]);
}

/** What Nest hands a resolver's guards: (root, args, context, info), typed 'graphql'. */
function graphqlContext(context: unknown) {
  const host = new ExecutionContextHost([undefined, {}, context, {}]);
  host.setType('graphql');
  return host;
}

function rpcContext() {
  const host = new ExecutionContextHost([{ jobId: '1' }]);
  host.setType('rpc');
  return host;
}

describe('requestOf', () => {
  it('finds the request over HTTP, in an Apollo and a Mercurius GraphQL context, and none elsewhere', () => {
    const request: RequestLike = { headers: {}, user };
    expect(requestOf(httpContext(request))).toBe(request);
    expect(requestOf(graphqlContext({ req: request }))).toBe(request);
    expect(requestOf(graphqlContext({ reply: { request } }))).toBe(request);
    expect(requestOf(graphqlContext(undefined))).toBeUndefined();
    expect(requestOf(rpcContext())).toBeUndefined();
  });
});

describe('currentUserOf', () => {
  it('reads the user a guard attached, whatever the transport', () => {
    expect(currentUserOf(httpContext({ headers: {}, user }))).toBe(user);
    expect(currentUserOf(graphqlContext({ req: { headers: {}, user } }))).toBe(user);
    expect(currentUserOf(graphqlContext({ req: { headers: {} } }))).toBeUndefined();
    expect(currentUserOf(rpcContext())).toBeUndefined();
  });
});

describe('the guards outside HTTP', () => {
  const reflector = new Reflector();
  // Never reached in these cases: they end before any credential is checked.
  const verifier = {} as AccessVerifier;

  it('OptionalJwtAuthGuard lets an anonymous GraphQL call through without touching passport', async () => {
    await expect(
      new OptionalJwtAuthGuard(reflector, verifier).canActivate(graphqlContext({ req: { headers: {} } })),
    ).resolves.toBe(true);
  });

  it('JwtAuthGuard refuses a call that carries no request at all with a domain error, not a crash', async () => {
    await expect(new JwtAuthGuard(reflector, verifier).canActivate(rpcContext())).rejects.toThrow(UnauthenticatedError);
  });

  it('JwtAuthGuard hands passport the request found in the GraphQL context', () => {
    const request: RequestLike = { headers: { authorization: 'Token x' } };
    expect(new JwtAuthGuard(reflector, verifier).getRequest(graphqlContext({ req: request }))).toBe(request);
  });

  it('JwtAuthGuard throws the strategy\'s reason (e.g. "is missing") as the domain error it is', () => {
    const guard = new JwtAuthGuard(reflector, verifier);
    const reason = UnauthenticatedError.token('is missing');
    expect(() => guard.handleRequest(undefined, false, reason)).toThrow(reason);
    expect(() => guard.handleRequest(undefined, false, undefined)).toThrow(UnauthenticatedError);
  });
});
