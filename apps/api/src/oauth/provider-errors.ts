/**
 * @roadmap auth.oauth, auth.openid-connect, apis.error-handling
 * Look at how openid-client's failures become answers: a code the provider refuses (used twice,
 * expired, or not ours) is the caller's problem (401), an ID token that fails verification too;
 * an unreachable provider is worth retrying (503); anything else is our misconfiguration (500).
 */
import * as client from 'openid-client';
import { DomainError, UnauthenticatedError, UnavailableError } from '../common/errors/domain-errors';

export const STATE_INVALID = () => new UnauthenticatedError({ state: ['is invalid'] });
export const CODE_INVALID = () => new UnauthenticatedError({ code: ['is invalid or expired'] });

/** A token endpoint's refusal of the code (RFC 6749 5.2), or GitHub's own word for it. */
const REFUSED_CODE = new Set(['invalid_grant', 'bad_verification_code']);

const ID_TOKEN_CHECKS = new Set([
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
  'OAUTH_JWS_SIGNATURE_VERIFICATION_FAILED',
]);

/** The `error` member of an OAuth JSON body that came back with 200 (GitHub answers this way). */
function errorInBody(error: unknown): unknown {
  const cause = (error as { cause?: { cause?: { body?: { error?: unknown } } } }).cause;
  return cause?.cause?.body?.error;
}

export function providerFailure(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof client.AuthorizationResponseError) {
    // The provider sent the browser back with ?error=... (the person said no, or it refused us).
    return new UnauthenticatedError({ authorization: [`was refused by the provider (${error.error})`] });
  }
  if (error instanceof client.ResponseBodyError && REFUSED_CODE.has(error.error)) return CODE_INVALID();
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_INVALID_RESPONSE' && REFUSED_CODE.has(String(errorInBody(error)))) return CODE_INVALID();
    if (error.code && ID_TOKEN_CHECKS.has(error.code)) return new UnauthenticatedError({ id_token: ['is invalid'] });
    if (error.code === 'OAUTH_TIMEOUT')
      return new UnavailableError('provider', 5, { cause: error, reason: 'unreachable' });
  }
  if (isNetworkFailure(error) || isNetworkFailure((error as { cause?: unknown } | null)?.cause)) {
    return new UnavailableError('provider', 5, { cause: error, reason: 'unreachable' });
  }
  return error;
}

/**
 * fetch() itself failed (DNS, refused connection, reset) or timed out. Compared by name, not
 * `instanceof`: fetch's errors may come from another realm (Node's own, seen from inside a Jest
 * sandbox), and openid-client then wraps them in a ClientError("something went wrong").
 */
function isNetworkFailure(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return (name === 'TypeError' && message === 'fetch failed') || name === 'TimeoutError';
}
