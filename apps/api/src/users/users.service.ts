/**
 * @roadmap auth.registration-login, databases.constraints
 * Look at how uniqueness is checked for a friendly 409 and still enforced by the database's unique
 * indexes when two requests race.
 */
import { Injectable } from '@nestjs/common';
import { Prisma, type User } from '@capstone/database';
import { ApiError } from '../common/api-error';
import { uniqueViolationField } from '../common/unique-violation';
import { PrismaService } from '../database/prisma.service';
import { PasswordHasher } from '../auth/password-hasher';
import type { RegisterUserBody, UpdateUserBody } from './dto/user-bodies.dto';

// Verifying against a real hash when the email is unknown keeps login timing from revealing
// which emails have accounts.
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$KNf3XKmFym+LCASR2E9Xyw$a0gQOrk4tZuNxc6VkTvXFjttXNcxXluPjt06ShF/fzg';

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
  ) {}

  async register({ user }: RegisterUserBody): Promise<User> {
    await this.assertUnique({ email: user.email, username: user.username });
    const passwordHash = await this.hasher.hash(user.password);
    return this.prisma.user
      .create({ data: { email: user.email, username: user.username, passwordHash } })
      .catch(rethrowUniqueViolation);
  }

  /** Returns the user, or throws 401 without saying whether the email or the password was wrong. */
  async authenticate(email: string, password: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { email } });
    const valid = await this.hasher.verify(user?.passwordHash ?? UNKNOWN_USER_HASH, password);
    if (!user || !valid) throw new ApiError(401, { errors: { 'email or password': ['is invalid'] } });
    return user;
  }

  async findById(id: number): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id } });
    if (!user) throw ApiError.notFound('user');
    return user;
  }

  /** Changes only the fields sent; `null` clears bio or image. */
  async update(id: number, { user: changes }: UpdateUserBody): Promise<User> {
    const fields = Object.keys(changes).filter((key) => changes[key as keyof typeof changes] !== undefined);
    if (fields.length === 0) throw ApiError.unprocessable({ user: ['must contain at least one field to change'] });
    await this.assertUnique({ email: changes.email, username: changes.username }, id);
    const data: Prisma.UserUpdateInput = {
      email: changes.email,
      username: changes.username,
      bio: changes.bio,
      image: changes.image === '' ? null : changes.image,
      passwordHash: changes.password ? await this.hasher.hash(changes.password) : undefined,
    };
    return this.prisma.user.update({ where: { id }, data }).catch(rethrowUniqueViolation);
  }

  private async assertUnique(fields: { email?: string; username?: string }, exceptUserId?: number): Promise<void> {
    const or = [
      fields.email !== undefined ? { email: fields.email } : undefined,
      // "Jake" and "jake" would be two users the UI cannot tell apart. The unique index is
      // case-sensitive, so this check is what keeps them apart (a race can still slip past it).
      fields.username !== undefined
        ? { username: { equals: fields.username, mode: 'insensitive' as const } }
        : undefined,
    ].filter((clause) => clause !== undefined);
    if (or.length === 0) return;
    const taken = await this.prisma.user.findMany({
      where: { OR: or, ...(exceptUserId ? { NOT: { id: exceptUserId } } : {}) },
      select: { email: true, username: true },
    });
    const errors: Record<string, string[]> = {};
    if (taken.some((other) => other.email === fields.email)) errors.email = ['has already been taken'];
    if (taken.some((other) => other.username.toLowerCase() === fields.username?.toLowerCase()))
      errors.username = ['has already been taken'];
    if (Object.keys(errors).length) throw new ApiError(409, { errors });
  }
}

/** The race the pre-check cannot close: the unique index wins, and we still answer 409. */
function rethrowUniqueViolation(error: unknown): never {
  const field = uniqueViolationField(error);
  if (field) throw ApiError.conflict(field === 'username' ? 'username' : 'email');
  throw error;
}
