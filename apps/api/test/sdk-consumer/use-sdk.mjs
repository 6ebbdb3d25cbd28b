// The script a user of the published package would write: run by sdk-package.e2e-spec.ts in a
// temporary project where the packed tarball is installed, against the running API. An ES module
// importing the package's CommonJS build; it also requires it, to show both load one copy.
// Usage: node use-sdk.mjs <baseUrl> <unique suffix>. Prints one JSON object of what it observed.
import { createRequire } from 'node:module';
import { argv, stdout } from 'node:process';
import { ApiError, createConduitClient, isApiError } from '@capstone/sdk';

const [baseUrl, suffix] = argv.slice(2);
const observed = {};

/** Runs a call that must fail and keeps the parts of its ApiError the test checks. */
async function failure(call) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { status, errors, requestId, retryAfterSeconds, message } = error;
    return { status, errors, requestId, retryAfterSeconds, message, isApiError: isApiError(error) };
  }
  throw new Error('the call succeeded but should have failed');
}

const client = createConduitClient({ baseUrl });
const credentials = { email: `sdk-${suffix}@example.com`, password: `sdk password ${suffix}` };
const registered = await client.users.register({ username: `sdk${suffix}`, ...credentials });
observed.registered = { username: registered.username, hasToken: registered.token.length > 0 };

client.users.logout();
const loggedIn = await client.users.login(credentials);
observed.tokenIsTheLoginsToken = client.token === loggedIn.token;
observed.currentUser = (await client.users.current()).username;

const created = await client.articles.create({
  title: `Publishing a package ${suffix}`,
  description: 'made with the SDK',
  body: 'Installed from its tarball.',
  tagList: [`sdk${suffix}`],
});
observed.created = { slug: created.slug, author: created.author.username, tagList: created.tagList };
const listed = await client.articles.list({ tag: `sdk${suffix}` });
observed.listed = { count: listed.articlesCount, slugs: listed.articles.map((article) => article.slug) };

// The same email and username again: 409, one key per taken field.
observed.duplicate = await failure(() =>
  createConduitClient({ baseUrl }).users.register({ username: `sdk${suffix}`, ...credentials }),
);
// An empty title: 422 on that field.
observed.invalid = await failure(() => client.articles.create({ title: '', description: 'd', body: 'b' }));
// Without a token: 401.
observed.anonymous = await failure(() => createConduitClient({ baseUrl }).users.current());
// Wrong passwords until the account is refused: 429 with Retry-After.
const stranger = createConduitClient({ baseUrl });
for (let attempt = 0; attempt < 2; attempt += 1) {
  await failure(() => stranger.users.login({ email: credentials.email, password: 'wrong' }));
}
observed.limited = await failure(() => stranger.users.login(credentials));

observed.requireLoadsTheSameModule = createRequire(import.meta.url)('@capstone/sdk').ApiError === ApiError;
stdout.write(JSON.stringify(observed));
