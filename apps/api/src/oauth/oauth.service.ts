/**
 * @roadmap auth.oauth, auth.openid-connect, security.owasp
 * Look at the account-linking rules, on plain values: a provider's stable subject (never the
 * email) names the person; a provider-VERIFIED email may link to the existing account with that
 * email; an unverified one never does (anyone can type someone else's address at some provider,
 * and linking on it would hand them that account); otherwise a new account is made, with no
 * password and a username made unique.
 */
import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, UnauthenticatedError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { USER_SELECT } from '../users/user.queries';
import { normalizeEmail, USERNAME_MAX_LENGTH, USERNAME_PATTERN, type User } from '../users/user.model';
import type { ExternalProfile } from './external-profile';

export const EMAIL_NEEDS_PASSWORD_SIGN_IN = 'is used by an account; sign in with its password to link this provider';

/** Room left for the digits that make a taken username unique (`jake` → `jake2`). */
const SUFFIX_ROOM = 6;
/** Two sign-ins racing for one new username or identity: a few retries settle it. */
const ATTEMPTS = 3;

const SIGN_IN_SELECT = { ...USER_SELECT, suspendedAt: true } as const;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

/**
 * A username the pattern accepts, from the provider's hint: other characters become `-`, the
 * length is capped, and an empty result falls back to the email's local part, then to `user`.
 */
export function usernameBase(preferred: string | undefined, email: string | undefined): string {
  for (const candidate of [preferred, email?.split('@')[0]]) {
    const cleaned = (candidate ?? '')
      // "Zoë" → "Zoe": decomposed, then the accents (combining marks) dropped.
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, USERNAME_MAX_LENGTH - SUFFIX_ROOM);
    if (cleaned && USERNAME_PATTERN.test(cleaned)) return cleaned;
  }
  return 'user';
}

@Injectable()
export class OAuthService {
  constructor(private readonly prisma: PrismaService) {}

  /** The local user `profile` signs in as: found, linked or created (see the header). */
  async signIn(profile: ExternalProfile): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.findLinkOrCreate(profile);
      } catch (error) {
        // Someone else took the username, or the same person's other tab linked first: look again.
        if (!isUniqueViolation(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async findLinkOrCreate(profile: ExternalProfile): Promise<User> {
    const { provider, subject } = profile;
    const identity = await this.prisma.externalIdentity.findUnique({
      where: { provider_subject: { provider, subject } },
      select: { user: { select: SIGN_IN_SELECT } },
    });
    if (identity) return active(identity.user);

    const email = profile.email === undefined ? undefined : normalizeEmail(profile.email);
    if (!email)
      throw new InvalidInputError({ email: ['was not provided by the provider; allow access to it and retry'] });
    const existing = await this.prisma.user.findUnique({ where: { email }, select: SIGN_IN_SELECT });
    if (existing) {
      if (!profile.emailVerified) throw new ConflictError({ email: [EMAIL_NEEDS_PASSWORD_SIGN_IN] });
      const user = active(existing);
      await this.prisma.$transaction([
        this.prisma.externalIdentity.create({ data: { provider, subject, userId: user.id, email } }),
        // The provider has just proved this address belongs to the person.
        this.prisma.user.updateMany({
          where: { id: user.id, emailVerifiedAt: null },
          data: { emailVerifiedAt: new Date() },
        }),
      ]);
      return user;
    }

    const username = await this.freeUsername(usernameBase(profile.preferredUsername, email));
    return this.prisma.user.create({
      data: {
        email,
        username,
        passwordHash: null,
        emailVerifiedAt: profile.emailVerified ? new Date() : null,
        identities: { create: { provider, subject, email } },
      },
      select: USER_SELECT,
    });
  }

  /** `base` if free, else `base2`, `base3`... (usernames compare ignoring case: the column is citext). */
  private async freeUsername(base: string): Promise<string> {
    const taken = await this.prisma.user.findMany({
      where: { username: { startsWith: base } },
      select: { username: true },
    });
    const names = new Set(taken.map(({ username }) => username.toLowerCase()));
    if (!names.has(base.toLowerCase())) return base;
    for (let suffix = 2; ; suffix++) {
      const candidate = `${base}${suffix}`;
      if (!names.has(candidate.toLowerCase())) return candidate;
    }
  }
}

function active(user: User & { suspendedAt: Date | null }): User {
  if (user.suspendedAt) throw new UnauthenticatedError({ user: ['is suspended'] });
  const { suspendedAt: _suspendedAt, ...rest } = user;
  return rest;
}
