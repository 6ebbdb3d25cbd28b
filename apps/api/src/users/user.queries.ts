/**
 * @roadmap databases.orm
 * Look at the select: the columns that make a domain `User`, so the password hash and the role are
 * never loaded where they are not needed.
 */
import type { Prisma } from '@capstone/database';

export const USER_SELECT = {
  id: true,
  email: true,
  username: true,
  bio: true,
  image: true,
} satisfies Prisma.UserSelect;
