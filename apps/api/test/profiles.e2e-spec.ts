/**
 * @roadmap apis.rest, auth.jwt, testing.e2e
 * Look at the optional-auth test: the same request answers `following: true` to a follower and
 * `false` to an anonymous reader.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('profiles', () => {
  let app: NestFastifyApplication;
  let reader: TestUser;
  let writer: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    [reader, writer] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows a profile to anyone, with following false for an anonymous reader', async () => {
    const response = await http().get(`/api/profiles/${writer.username}`).expect(200);
    expect(response.body).toEqual({ profile: { username: writer.username, bio: null, image: null, following: false } });
  });

  it('answers 404 naming the profile for an unknown username', async () => {
    const response = await http().get('/api/profiles/nobody-has-this-name').expect(404);
    expect(response.body).toEqual({ errors: { profile: ['not found'] } });
  });

  it('follows and unfollows; following is per reader and both calls are idempotent', async () => {
    const followed = await http().post(`/api/profiles/${writer.username}/follow`).set(reader.auth).expect(200);
    expect(followed.body.profile).toEqual({ username: writer.username, bio: null, image: null, following: true });
    await http().post(`/api/profiles/${writer.username}/follow`).set(reader.auth).expect(200);

    expect((await http().get(`/api/profiles/${writer.username}`).set(reader.auth)).body.profile.following).toBe(true);
    expect((await http().get(`/api/profiles/${writer.username}`)).body.profile.following).toBe(false);
    expect((await http().get(`/api/profiles/${reader.username}`).set(writer.auth)).body.profile.following).toBe(false);

    const unfollowed = await http().delete(`/api/profiles/${writer.username}/follow`).set(reader.auth).expect(200);
    expect(unfollowed.body.profile.following).toBe(false);
    await http().delete(`/api/profiles/${writer.username}/follow`).set(reader.auth).expect(200);
  });

  it('checks authentication before existence (401, then 404)', async () => {
    await http().post('/api/profiles/nobody-has-this-name/follow').expect(401);
    const missing = await http().post('/api/profiles/nobody-has-this-name/follow').set(reader.auth).expect(404);
    expect(missing.body).toEqual({ errors: { profile: ['not found'] } });
    await http().delete(`/api/profiles/${writer.username}/follow`).expect(401);
  });

  it('refuses to follow yourself (422)', async () => {
    const response = await http().post(`/api/profiles/${reader.username}/follow`).set(reader.auth).expect(422);
    expect(response.body).toEqual({ errors: { profile: ['cannot follow yourself'] } });
  });
});
