/**
 * @roadmap auth.jwt, security.password-hashing, security.input-validation, security.mass-assignment, testing.e2e
 * Look at the error cases: each status the spec names, the unknown-field (mass assignment) check, and the argon2id hash read back from the database.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { createTestApp } from './support/test-app';
import { newUserInput, registerUser, unique } from './support/factories';

const INVALID_CREDENTIALS = { errors: { credentials: ['invalid'] } };
const TOKEN_MISSING = { errors: { token: ['is missing'] } };
/** A JWT: three base64url segments. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe('users and authentication', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaClient;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await app.close();
  });

  const login = (email: string, password: string) =>
    http().post('/api/users/login').send({ user: { email, password } });

  describe('POST /api/users (registration)', () => {
    it('registers a user and answers with the spec User and a token', async () => {
      const input = newUserInput();
      const response = await http().post('/api/users').send({ user: input }).expect(201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        user: {
          email: input.email,
          username: input.username,
          bio: null,
          image: null,
          token: expect.stringMatching(JWT_SHAPE),
        },
      });
      // Exactly the spec's User: nothing internal (id, passwordHash, role, timestamps) leaks.
      expect(Object.keys(response.body.user).sort()).toEqual(['bio', 'email', 'image', 'token', 'username']);
    });

    it('hands out a token that works straight away', async () => {
      const user = await registerUser(app);
      const response = await http().get('/api/user').set(user.auth).expect(200);
      expect(response.body.user.username).toBe(user.username);
    });

    it('stores the password as an argon2id PHC hash with at least OWASP cost (m>=19456, t>=2)', async () => {
      const user = await registerUser(app);
      const stored = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(
        stored.passwordHash ?? '',
      );
      expect(match).not.toBeNull();
      const [, m, t, p] = match!.map(Number);
      expect(m).toBeGreaterThanOrEqual(19_456);
      expect(t).toBeGreaterThanOrEqual(2);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(stored.passwordHash).not.toContain(user.password);
    });

    it('salts each hash: the same password gives two different hashes', async () => {
      const password = 'the very same password';
      const [a, b] = [await registerUser(app, { password }), await registerUser(app, { password })];
      const rows = await prisma.user.findMany({
        where: { email: { in: [a.email, b.email] } },
        select: { passwordHash: true },
      });
      expect(rows).toHaveLength(2);
      expect(rows[0].passwordHash).not.toBe(rows[1].passwordHash);
    });

    it('gives every new user the USER role', async () => {
      const user = await registerUser(app);
      const stored = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      expect(stored.role).toBe('USER');
    });

    describe('422 for invalid input', () => {
      it('refuses a body without the `user` envelope', async () => {
        const response = await http().post('/api/users').send(newUserInput()).expect(422);
        expect(response.body).toEqual({
          errors: {
            user: ["can't be blank"],
            // The flat fields are not declared next to the envelope, so each is refused as well.
            username: ['is not an allowed field'],
            email: ['is not an allowed field'],
            password: ['is not an allowed field'],
          },
        });
      });

      it('refuses an empty body', async () => {
        const response = await http().post('/api/users').send({}).expect(422);
        expect(response.body).toEqual({ errors: { user: ["can't be blank"] } });
      });

      it('names every missing field', async () => {
        const response = await http().post('/api/users').send({ user: {} }).expect(422);
        expect(response.body).toEqual({
          errors: { username: ["can't be blank"], email: ["can't be blank"], password: ["can't be blank"] },
        });
      });

      it.each(['username', 'email', 'password'] as const)('names a missing %s alone', async (field) => {
        const input: Record<string, string> = newUserInput();
        delete input[field];
        const response = await http().post('/api/users').send({ user: input }).expect(422);
        expect(response.body).toEqual({ errors: { [field]: ["can't be blank"] } });
      });

      it.each(['username', 'email', 'password'] as const)('names a blank %s', async (field) => {
        const response = await http()
          .post('/api/users')
          .send({ user: { ...newUserInput(), [field]: '' } })
          .expect(422);
        expect(response.body).toEqual({ errors: { [field]: ["can't be blank"] } });
      });

      it.each(['not-an-email', 'jake@', '@example.com', 'jake example.com'])(
        'refuses the invalid email %j',
        async (email) => {
          const response = await http()
            .post('/api/users')
            .send({ user: newUserInput({ email }) })
            .expect(422);
          expect(response.body).toEqual({ errors: { email: ['is invalid'] } });
        },
      );

      it('refuses a password shorter than 8 characters', async () => {
        const response = await http()
          .post('/api/users')
          .send({ user: newUserInput({ password: 'short12' }) })
          .expect(422);
        expect(response.body).toEqual({ errors: { password: ['is too short (minimum is 8 characters)'] } });
      });

      it('accepts a password of exactly 8 characters', async () => {
        await http()
          .post('/api/users')
          .send({ user: newUserInput({ password: '12345678' }) })
          .expect(201);
      });

      it('refuses a username with characters outside letters, digits, "_" and "-"', async () => {
        const response = await http()
          .post('/api/users')
          .send({ user: newUserInput({ username: 'jake <script>', email: `${unique('jake')}@example.com` }) })
          .expect(422);
        expect(response.body).toEqual({ errors: { username: ['may contain only letters, digits, "_" and "-"'] } });
      });

      it('refuses fields of the wrong type', async () => {
        const response = await http()
          .post('/api/users')
          .send({ user: { username: 42, email: ['a@example.com'], password: { long: 'enough' } } })
          .expect(422);
        expect(response.body).toEqual({
          errors: { username: ['must be a string'], email: ['must be a string'], password: ['must be a string'] },
        });
      });

      it('reports several problems at once', async () => {
        const response = await http()
          .post('/api/users')
          .send({ user: { username: '', email: 'nope', password: 'short' } })
          .expect(422);
        expect(response.body).toEqual({
          errors: {
            username: ["can't be blank"],
            email: ['is invalid'],
            password: ['is too short (minimum is 8 characters)'],
          },
        });
      });
    });

    describe('409 for a taken email or username', () => {
      it('refuses a taken email, naming the field', async () => {
        const existing = await registerUser(app);
        const response = await http()
          .post('/api/users')
          .send({ user: newUserInput({ email: existing.email }) })
          .expect(409);
        expect(response.body).toEqual({ errors: { email: ['has already been taken'] } });
      });

      it('refuses a taken username, naming the field', async () => {
        const existing = await registerUser(app);
        const response = await http()
          .post('/api/users')
          .send({ user: newUserInput({ username: existing.username, email: `${unique('other')}@example.com` }) })
          .expect(409);
        expect(response.body).toEqual({ errors: { username: ['has already been taken'] } });
      });

      it('names both fields when both are taken', async () => {
        const existing = await registerUser(app);
        const response = await http()
          .post('/api/users')
          .send({ user: { username: existing.username, email: existing.email, password: 'another password' } })
          .expect(409);
        expect(response.body).toEqual({
          errors: { email: ['has already been taken'], username: ['has already been taken'] },
        });
      });

      it('lets only one of several simultaneous registrations with one email through', async () => {
        const email = `${unique('race')}@example.com`;
        const responses = await Promise.all(
          [0, 1, 2, 3].map((n) =>
            http()
              .post('/api/users')
              .send({ user: newUserInput({ username: unique(`race${n}`), email }) }),
          ),
        );
        expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
        for (const refused of responses.filter((response) => response.status === 409)) {
          expect(refused.body).toEqual({ errors: { email: ['has already been taken'] } });
        }
        expect(await prisma.user.count({ where: { email } })).toBe(1);
      });

      it('lets only one of several simultaneous registrations with one username through', async () => {
        const username = unique('race');
        const responses = await Promise.all(
          [0, 1, 2, 3].map((n) =>
            http()
              .post('/api/users')
              .send({ user: newUserInput({ username, email: `${unique(`race${n}`)}@example.com` }) }),
          ),
        );
        expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
        for (const refused of responses.filter((response) => response.status === 409)) {
          expect(refused.body).toEqual({ errors: { username: ['has already been taken'] } });
        }
        expect(await prisma.user.count({ where: { username } })).toBe(1);
      });

      it('does not let the first account be overwritten by the refused one', async () => {
        const existing = await registerUser(app);
        await http()
          .post('/api/users')
          .send({ user: newUserInput({ email: existing.email, password: 'the intruder password' }) })
          .expect(409);
        await login(existing.email, existing.password).expect(200);
        await login(existing.email, 'the intruder password').expect(401);
      });
    });

    describe('mass assignment', () => {
      it('refuses `role: "ADMIN"` with 422 on `role` and creates no user', async () => {
        const input = newUserInput();
        const response = await http()
          .post('/api/users')
          .send({ user: { ...input, role: 'ADMIN' } })
          .expect(422);
        expect(response.body).toEqual({ errors: { role: ['is not an allowed field'] } });
        await login(input.email, input.password).expect(401);
        expect(await prisma.user.count({ where: { email: input.email } })).toBe(0);
      });

      it('refuses a client-chosen `id` with 422 on `id` and creates no user', async () => {
        const input = newUserInput();
        const response = await http()
          .post('/api/users')
          .send({ user: { ...input, id: 1 } })
          .expect(422);
        expect(response.body).toEqual({ errors: { id: ['is not an allowed field'] } });
        await login(input.email, input.password).expect(401);
      });

      it('refuses `role` next to the envelope as well', async () => {
        const input = newUserInput();
        const response = await http().post('/api/users').send({ user: input, role: 'ADMIN' }).expect(422);
        expect(response.body).toEqual({ errors: { role: ['is not an allowed field'] } });
        await login(input.email, input.password).expect(401);
      });

      it('refuses a client-supplied passwordHash', async () => {
        const input = newUserInput();
        const response = await http()
          .post('/api/users')
          .send({ user: { ...input, passwordHash: 'plain' } })
          .expect(422);
        expect(response.body).toEqual({ errors: { passwordHash: ['is not an allowed field'] } });
      });
    });
  });

  describe('POST /api/users/login', () => {
    it('answers 200 with the spec User and a fresh token', async () => {
      const user = await registerUser(app);
      const response = await login(user.email, user.password).expect(200);
      expect(response.body).toEqual({
        user: {
          email: user.email,
          username: user.username,
          bio: null,
          image: null,
          token: expect.stringMatching(JWT_SHAPE),
        },
      });
      await http().get('/api/user').set('Authorization', `Token ${response.body.user.token}`).expect(200);
    });

    it('answers a wrong password and an unknown email with the same 401 body', async () => {
      const user = await registerUser(app);
      const wrongPassword = await login(user.email, 'not the password').expect(401);
      const unknownEmail = await login(`${unique('nobody')}@example.com`, user.password).expect(401);
      expect(wrongPassword.body).toEqual(INVALID_CREDENTIALS);
      expect(unknownEmail.body).toEqual(INVALID_CREDENTIALS);
    });

    it('does not accept the username in place of the email', async () => {
      const user = await registerUser(app);
      const response = await login(user.username, user.password).expect(401);
      expect(response.body).toEqual(INVALID_CREDENTIALS);
    });

    it('refuses a login without the envelope or with blank fields with 422', async () => {
      const missing = await http().post('/api/users/login').send({}).expect(422);
      expect(missing.body).toEqual({ errors: { user: ["can't be blank"] } });
      const blank = await http()
        .post('/api/users/login')
        .send({ user: { email: '', password: '' } })
        .expect(422);
      expect(blank.body).toEqual({ errors: { email: ["can't be blank"], password: ["can't be blank"] } });
    });
  });

  describe('GET /api/user', () => {
    it('answers 200 with the user for `Authorization: Token <jwt>`', async () => {
      const user = await registerUser(app);
      const response = await http().get('/api/user').set('Authorization', `Token ${user.token}`).expect(200);
      expect(response.body).toEqual({
        user: { email: user.email, username: user.username, bio: null, image: null, token: user.token },
      });
    });

    it('answers 200 for `Authorization: Bearer <jwt>` too', async () => {
      const user = await registerUser(app);
      const response = await http().get('/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
      expect(response.body.user).toEqual({
        email: user.email,
        username: user.username,
        bio: null,
        image: null,
        token: user.token,
      });
    });

    it('answers 401 "is missing" without a token', async () => {
      const response = await http().get('/api/user').expect(401);
      expect(response.body).toEqual(TOKEN_MISSING);
    });

    it('answers 401 "is invalid" for a header in another scheme', async () => {
      const user = await registerUser(app);
      const response = await http().get('/api/user').set('Authorization', `Basic ${user.token}`).expect(401);
      expect(response.body).toEqual({ errors: { token: ['is invalid'] } });
    });
  });

  describe('PUT /api/user', () => {
    const update = (token: string, user: unknown) =>
      http().put('/api/user').set('Authorization', `Token ${token}`).send({ user });

    it('sets the bio and changes nothing else', async () => {
      const user = await registerUser(app);
      const response = await update(user.token, { bio: 'I like to skateboard' }).expect(200);
      expect(response.body).toEqual({
        user: {
          email: user.email,
          username: user.username,
          bio: 'I like to skateboard',
          image: null,
          token: user.token,
        },
      });
      const current = await http().get('/api/user').set(user.auth).expect(200);
      expect(current.body.user.bio).toBe('I like to skateboard');
    });

    it('sets the image, keeps the bio, then clears the image with null', async () => {
      const user = await registerUser(app);
      await update(user.token, { bio: 'kept' }).expect(200);
      const image = 'https://i.stack.imgur.com/xHWG8.jpg';
      const set = await update(user.token, { image }).expect(200);
      expect(set.body.user).toMatchObject({ image, bio: 'kept', email: user.email, username: user.username });

      const cleared = await update(user.token, { image: null }).expect(200);
      expect(cleared.body.user).toMatchObject({ image: null, bio: 'kept' });
      const current = await http().get('/api/user').set(user.auth).expect(200);
      expect(current.body.user).toMatchObject({ image: null, bio: 'kept' });
    });

    it('clears the bio with null', async () => {
      const user = await registerUser(app);
      await update(user.token, { bio: 'temporary' }).expect(200);
      const response = await update(user.token, { bio: null }).expect(200);
      expect(response.body.user.bio).toBeNull();
    });

    it.each(['bio', 'image'])(
      'stores and returns an empty %s as null (as the RealWorld API tests expect)',
      async (field) => {
        const user = await registerUser(app);
        await update(user.token, { [field]: field === 'bio' ? 'temporary' : 'https://example.com/a.png' }).expect(200);
        const response = await update(user.token, { [field]: '' }).expect(200);
        expect(response.body.user[field]).toBeNull();
        const current = await request(app.getHttpServer()).get('/api/user').set(user.auth).expect(200);
        expect(current.body.user[field]).toBeNull();
      },
    );

    it('changes the email and username, which then identify the user', async () => {
      const user = await registerUser(app);
      const username = unique('renamed');
      const email = `${username}@example.com`;
      const response = await update(user.token, { email, username }).expect(200);
      expect(response.body.user).toMatchObject({ email, username });
      await login(email, user.password).expect(200);
      await login(user.email, user.password).expect(401);
    });

    it('accepts the user’s own current email and username unchanged', async () => {
      const user = await registerUser(app);
      const response = await update(user.token, { email: user.email, username: user.username }).expect(200);
      expect(response.body.user).toMatchObject({ email: user.email, username: user.username });
    });

    it('changes the password: the new one logs in, the old one no longer does', async () => {
      const user = await registerUser(app);
      const before = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      const newPassword = 'a brand new passphrase';
      const response = await update(user.token, { password: newPassword }).expect(200);
      expect(response.body.user).not.toHaveProperty('password');
      await login(user.email, newPassword).expect(200);
      const old = await login(user.email, user.password).expect(401);
      expect(old.body).toEqual(INVALID_CREDENTIALS);

      const after = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      expect(after.passwordHash).not.toBe(before.passwordHash);
      expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=(19456|[2-9]\d{4,}|\d{6,}),t=([2-9]|\d{2,}),/);
    });

    it('refuses a password shorter than 8 characters', async () => {
      const user = await registerUser(app);
      const response = await update(user.token, { password: 'short' }).expect(422);
      expect(response.body).toEqual({ errors: { password: ['is too short (minimum is 8 characters)'] } });
      await login(user.email, user.password).expect(200);
    });

    it('answers 409 when changing to another user’s email', async () => {
      const [user, other] = [await registerUser(app), await registerUser(app)];
      const response = await update(user.token, { email: other.email }).expect(409);
      expect(response.body).toEqual({ errors: { email: ['has already been taken'] } });
      const current = await http().get('/api/user').set(user.auth).expect(200);
      expect(current.body.user.email).toBe(user.email);
    });

    it('answers 409 when changing to another user’s username', async () => {
      const [user, other] = [await registerUser(app), await registerUser(app)];
      const response = await update(user.token, { username: other.username }).expect(409);
      expect(response.body).toEqual({ errors: { username: ['has already been taken'] } });
      const current = await http().get('/api/user').set(user.auth).expect(200);
      expect(current.body.user.username).toBe(user.username);
    });

    it('answers 422 for an empty `user` object', async () => {
      const user = await registerUser(app);
      const response = await update(user.token, {}).expect(422);
      expect(response.body).toEqual({ errors: { user: ['must contain at least one field to change'] } });
    });

    it('answers 422 for a missing `user` envelope', async () => {
      const user = await registerUser(app);
      const response = await http().put('/api/user').set(user.auth).send({}).expect(422);
      expect(response.body).toEqual({ errors: { user: ["can't be blank"] } });
    });

    it('answers 422 for an invalid email or image', async () => {
      const user = await registerUser(app);
      const email = await update(user.token, { email: 'not-an-email' }).expect(422);
      expect(email.body).toEqual({ errors: { email: ['is invalid'] } });
      const image = await update(user.token, { image: 'javascript:alert(1)' }).expect(422);
      expect(image.body).toEqual({ errors: { image: ['must be an http(s) URL'] } });
    });

    it('refuses to change the role (mass assignment)', async () => {
      const user = await registerUser(app);
      const response = await update(user.token, { bio: 'sneaky', role: 'ADMIN' }).expect(422);
      expect(response.body).toEqual({ errors: { role: ['is not an allowed field'] } });
      const stored = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      expect(stored.role).toBe('USER');
      expect(stored.bio).toBeNull();
    });

    it('answers 401 without a token and changes nothing', async () => {
      const user = await registerUser(app);
      const response = await http()
        .put('/api/user')
        .send({ user: { bio: 'anonymous edit' } })
        .expect(401);
      expect(response.body).toEqual(TOKEN_MISSING);
      const current = await http().get('/api/user').set(user.auth).expect(200);
      expect(current.body.user.bio).toBeNull();
    });
  });
});
