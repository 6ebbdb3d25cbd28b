/**
 * @roadmap design.ddd, frameworks.middleware, testing.integration
 * Look at the services called the way a GraphQL resolver or a job processor will call them, with
 * plain values and no request at all, and at the real JWT guard authenticating a GraphQL-shaped
 * context: the rules live in one place whatever the transport.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ArticlesService } from '../src/articles/articles.service';
import type { AuthenticatedUser } from '../src/auth/authenticated-user';
import { AccessVerifier } from '../src/auth/access-verifier';
import { JwtAuthGuard } from '../src/auth/auth.guards';
import { currentUserOf } from '../src/auth/current-user.decorator';
import { CommentsService } from '../src/comments/comments.service';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
} from '../src/common/errors/domain-errors';
import type { RequestLike } from '../src/common/request-of';
import { ProfilesService } from '../src/profiles/profiles.service';
import { TagsService } from '../src/tags/tags.service';
import { UsersService } from '../src/users/users.service';
import { registerUser, unique } from './support/factories';
import { createTestApp } from './support/test-app';

describe('services without HTTP', () => {
  let app: NestFastifyApplication;
  let users: UsersService;
  let articles: ArticlesService;

  beforeAll(async () => {
    app = await createTestApp();
    users = app.get(UsersService);
    articles = app.get(ArticlesService);
  });
  afterAll(async () => {
    await app.close();
  });

  async function newUser() {
    const username = unique('plain');
    return users.register({
      username,
      email: `${username.toUpperCase()}@Example.com`,
      password: 'long enough password',
    });
  }

  it('register, write and read with plain values; results are domain values (dates, no envelopes)', async () => {
    const author = await newUser();
    expect(author).toEqual({
      id: expect.any(Number),
      email: author.email,
      username: author.username,
      bio: null,
      image: null,
    });
    expect(author.email).toBe(author.email.toLowerCase());

    const article = await articles.create(author.id, {
      title: 'Called without a request',
      description: 'd',
      body: 'b',
      tagList: [' jobs ', 'jobs', 'graphql'],
    });
    expect(article).toMatchObject({
      title: 'Called without a request',
      tagList: ['jobs', 'graphql'],
      favoritesCount: 0,
    });
    expect(article.createdAt).toBeInstanceOf(Date);
    expect(article.author).toEqual({
      id: author.id,
      username: author.username,
      bio: null,
      image: null,
      following: false,
    });
    expect(article).not.toHaveProperty('article');

    const comment = await app.get(CommentsService).add(article.slug, author.id, 'first');
    expect(comment).toMatchObject({ id: expect.any(Number), body: 'first' });
    expect(await app.get(TagsService).popular()).toEqual(expect.arrayContaining(['jobs', 'graphql']));
  });

  it('fails with domain errors that name the field or resource, never HTTP exceptions', async () => {
    const author = await newUser();
    const stranger = await newUser();
    const { slug } = await articles.create(author.id, { title: 'Owned', description: 'd', body: 'b' });

    await expect(articles.findBySlug('no-such-article')).rejects.toThrow(NotFoundError);
    await expect(articles.update(slug, stranger.id, { title: 'mine now' })).rejects.toThrow(ForbiddenError);
    await expect(articles.update(slug, author.id, {})).rejects.toThrow(InvalidInputError);
    await expect(
      articles.create(author.id, { title: 't', description: 'd', body: 'b', tagList: ['  '] }),
    ).rejects.toEqual(new InvalidInputError({ tagList: ["can't contain a blank tag"] }));
    await expect(app.get(ProfilesService).follow(author.username, author.id)).rejects.toThrow(InvalidInputError);
    await expect(
      users.register({
        username: author.username.toUpperCase(),
        email: `${unique('x')}@example.com`,
        password: 'long enough',
      }),
    ).rejects.toEqual(ConflictError.taken('username'));
    await expect(users.authenticate({ email: author.email, password: 'wrong password' })).rejects.toEqual(
      new UnauthenticatedError({ credentials: ['invalid'] }),
    );
  });

  it('the JWT guard authenticates a GraphQL-shaped context with the real strategy and database', async () => {
    const user = await registerUser(app);
    const request: RequestLike = { headers: { authorization: `Token ${user.token}` } };
    const context = new ExecutionContextHost([undefined, {}, { req: request }, {}]);
    context.setType('graphql');

    await expect(new JwtAuthGuard(new Reflector(), app.get(AccessVerifier)).canActivate(context)).resolves.toBe(true);
    expect(currentUserOf(context)).toMatchObject<Partial<AuthenticatedUser>>({
      username: user.username,
      token: user.token,
    });

    const anonymous = new ExecutionContextHost([undefined, {}, { req: { headers: {} } }, {}]);
    anonymous.setType('graphql');
    await expect(new JwtAuthGuard(new Reflector(), app.get(AccessVerifier)).canActivate(anonymous)).rejects.toEqual(
      UnauthenticatedError.token('is missing'),
    );
  });
});
