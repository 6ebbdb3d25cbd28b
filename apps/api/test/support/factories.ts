/**
 * @roadmap testing.factories
 * Look at how each test arranges its own data through the public API, with unique values, so
 * tests never depend on each other or on a seed.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export interface TestUser {
  username: string;
  email: string;
  password: string;
  token: string;
  /** `{ Authorization: 'Token <jwt>' }`, ready for supertest's `.set()`. */
  auth: { Authorization: string };
}

export function newUserInput(overrides: Partial<Pick<TestUser, 'username' | 'email' | 'password'>> = {}) {
  const username = overrides.username ?? unique('user');
  return {
    username,
    email: overrides.email ?? `${username}@example.com`,
    password: overrides.password ?? 'correct horse battery staple',
  };
}

export async function registerUser(
  app: NestFastifyApplication,
  overrides: Partial<Pick<TestUser, 'username' | 'email' | 'password'>> = {},
): Promise<TestUser> {
  const input = newUserInput(overrides);
  const response = await request(app.getHttpServer()).post('/api/users').send({ user: input }).expect(201);
  const token: string = response.body.user.token;
  return { ...input, token, auth: { Authorization: `Token ${token}` } };
}

export function newArticleInput(
  overrides: Partial<{ title: string; description: string; body: string; tagList: string[] }> = {},
) {
  return {
    title: overrides.title ?? `How to ${unique('train-your-dragon-')}`,
    description: overrides.description ?? 'Ever wonder how?',
    body: overrides.body ?? 'You have to believe.',
    ...(overrides.tagList !== undefined ? { tagList: overrides.tagList } : { tagList: ['dragons', 'training'] }),
  };
}

/** Creates an article through the API and returns the response's `article`. */
export async function createArticle(
  app: NestFastifyApplication,
  author: TestUser,
  overrides: Parameters<typeof newArticleInput>[0] = {},
) {
  const response = await request(app.getHttpServer())
    .post('/api/articles')
    .set(author.auth)
    .send({ article: newArticleInput(overrides) })
    .expect(201);
  return response.body.article as {
    slug: string;
    title: string;
    createdAt: string;
    updatedAt: string;
    tagList: string[];
  };
}
