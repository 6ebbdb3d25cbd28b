/**
 * @roadmap auth.token-authentication, security.authorization, security.owasp
 * Look at how a personal access token is made: a random secret shown once, stored only as its
 * SHA-256 (a leaked table signs nobody in) with a short visible prefix; scopes limited to `read`
 * and `write`; an expiry that is always set; a cap on active tokens counted under a row lock so
 * two concurrent requests cannot both pass it; and revocation that only ever touches the
 * caller's own tokens (someone else's is a 404, not a 403: its existence is not revealed).
 */
import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { newPersonalAccessToken, PAT_SCOPES, SCOPES, sha256, type PatScope } from '../auth/credentials';
import {
  EXPIRY_DAYS,
  MAX_ACTIVE_TOKENS,
  VISIBLE_PREFIX_LENGTH,
  type AccessToken,
  type CreatedAccessToken,
  type NewAccessToken,
} from './access-token.model';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_TOKEN_ID = 2_147_483_647;

const TOKEN_SELECT = {
  id: true,
  name: true,
  scopes: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
} as const;

@Injectable()
export class AccessTokensService {
  constructor(private readonly prisma: PrismaService) {}

  async create(userId: number, input: NewAccessToken): Promise<CreatedAccessToken> {
    const scopes = checkedScopes(input.scopes);
    const days = input.expiresInDays ?? EXPIRY_DAYS.default;
    const token = newPersonalAccessToken();
    const created = await this.prisma.$transaction(async (tx) => {
      // Serialises this user's creations: the count below cannot be raced past the cap.
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
      const active = await tx.personalAccessToken.count({
        where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      });
      if (active >= MAX_ACTIVE_TOKENS) {
        throw new InvalidInputError({ token: [`at most ${MAX_ACTIVE_TOKENS} active tokens; revoke one first`] });
      }
      return tx.personalAccessToken.create({
        data: {
          userId,
          name: input.name,
          scopes,
          tokenSha256: sha256(token),
          prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
          expiresAt: new Date(Date.now() + days * DAY_MS),
        },
        select: TOKEN_SELECT,
      });
    });
    return { ...toAccessToken(created), token };
  }

  /** The user's active tokens (neither revoked nor expired), newest first: at most MAX_ACTIVE_TOKENS. */
  async list(userId: number): Promise<AccessToken[]> {
    const rows = await this.prisma.personalAccessToken.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: TOKEN_SELECT,
    });
    return rows.map(toAccessToken);
  }

  /** Revokes one of the user's own tokens; takes effect on its very next use. */
  async revoke(userId: number, tokenId: string | number): Promise<void> {
    const id = parseTokenId(tokenId);
    const { count } =
      id === undefined
        ? { count: 0 }
        : await this.prisma.personalAccessToken.updateMany({
            where: { id, userId, revokedAt: null },
            data: { revokedAt: new Date() },
          });
    if (count === 0) throw new NotFoundError('token');
  }
}

/** At least one scope, each `read` or `write`; `account` (managing the account) is never delegated. */
function checkedScopes(requested: string[]): PatScope[] {
  if (requested.length === 0) throw new InvalidInputError({ scopes: ["can't be empty"] });
  for (const scope of requested) {
    if (scope === 'account' || !(SCOPES as readonly string[]).includes(scope)) {
      throw new InvalidInputError({
        scopes: [
          scope === 'account'
            ? 'a personal access token cannot have the "account" scope'
            : `"${scope}" is not a scope (use ${PAT_SCOPES.join(' or ')})`,
        ],
      });
    }
  }
  return PAT_SCOPES.filter((scope) => requested.includes(scope));
}

function toAccessToken(row: Omit<AccessToken, 'scopes'> & { scopes: string[] }): AccessToken {
  return {
    ...row,
    scopes: row.scopes.filter((scope): scope is PatScope => (PAT_SCOPES as readonly string[]).includes(scope)),
  };
}

function parseTokenId(value: string | number): number | undefined {
  const id = typeof value === 'number' ? value : /^[1-9]\d{0,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_TOKEN_ID ? id : undefined;
}
