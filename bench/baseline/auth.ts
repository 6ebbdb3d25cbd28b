/**
 * The baseline's authentication: the same rules as the API's (apps/api/src/auth/jwt.strategy.ts),
 * written out by hand. `Authorization: Token <jwt>` or `Bearer <jwt>`, HS256 only, our issuer and
 * audience, the claims a token of ours always has, then one query loading the user.
 */
import { verify, type JwtPayload } from 'jsonwebtoken';
import type { Pool } from 'pg';

export const JWT_ISSUER = 'backend-roadmap-capstone';
export const JWT_AUDIENCE = 'backend-roadmap-capstone-api';

const AUTHORIZATION = /^(?:Token|Bearer)\s+(\S+)\s*$/i;
const MAX_USER_ID = 2_147_483_647;
const CLOCK_SKEW_SECONDS = 5;

export interface Viewer {
  id: number;
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
}

/** 401 with the API's error body: `{"errors": {"token": [reason]}}`. */
export class Unauthenticated extends Error {
  constructor(readonly reason: 'is missing' | 'is invalid' | 'has expired') {
    super(`token ${reason}`);
  }
}

/**
 * The signed-in user, or undefined when the request sends no Authorization header. A header that
 * is malformed, a bad or expired token, or a token for a user who no longer exists: Unauthenticated.
 */
export async function viewerOf(
  header: string | undefined,
  secret: string,
  pool: Pool,
  required: boolean,
): Promise<Viewer | undefined> {
  if (header === undefined) {
    if (required) throw new Unauthenticated('is missing');
    return undefined;
  }
  const token = AUTHORIZATION.exec(header)?.[1];
  if (!token) throw new Unauthenticated('is invalid');
  let claims: JwtPayload;
  try {
    claims = verify(token, secret, {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    }) as JwtPayload;
  } catch (error) {
    throw new Unauthenticated((error as Error).name === 'TokenExpiredError' ? 'has expired' : 'is invalid');
  }
  const id = userIdFromClaims(claims);
  if (id === undefined) throw new Unauthenticated('is invalid');
  const { rows } = await pool.query<Viewer>('SELECT id, email, username, bio, image FROM users WHERE id = $1', [id]);
  if (rows.length === 0) throw new Unauthenticated('is invalid');
  return rows[0];
}

function userIdFromClaims(claims: JwtPayload): number | undefined {
  if (typeof claims.exp !== 'number') return undefined;
  if (typeof claims.iat !== 'number' || claims.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return undefined;
  if (typeof claims.sub !== 'string' || !/^[1-9]\d{0,9}$/.test(claims.sub)) return undefined;
  const id = Number(claims.sub);
  return id <= MAX_USER_ID ? id : undefined;
}
