/**
 * @roadmap languages.publish-package, apis.openapi
 * Look at how the client's types all come from the committed OpenAPI document (generated into
 * ./generated/api-schema.ts by `pnpm sdk:generate`), so a route that changes in the API changes
 * the SDK's types with it, and at the one place where a failed call becomes a thrown ApiError.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error';
import type { components, operations, paths } from './generated/api-schema';

type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Profile = Schemas['Profile'];
export type Article = Schemas['Article'];
export type ArticleListItem = Schemas['ArticleListItem'];
export type Comment = Schemas['Comment'];
export type NewUser = Schemas['NewUser'];
export type LoginUser = Schemas['LoginUser'];
export type UpdateUser = Schemas['UpdateUser'];
export type NewArticle = Schemas['NewArticle'];
export type UpdateArticle = Schemas['UpdateArticle'];
export type ArticleList = Schemas['MultipleArticlesResponse'];
export type ArticleQuery = NonNullable<operations['GetArticles']['parameters']['query']>;
export type FeedQuery = NonNullable<operations['GetArticlesFeed']['parameters']['query']>;

/** The typed openapi-fetch client for every route of the document: `{ data, error, response }`. */
export type RawClient = Client<paths>;

export interface ConduitClientOptions {
  /** The API's base URL including its prefix, e.g. `http://localhost:3000/api`. */
  baseUrl: string;
  /** A JWT to send as `Authorization: Token <jwt>`; login and register set it too. */
  token?: string;
  /** Another fetch (a proxy agent, a test double in your own tests); global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
  /** Headers sent with every request (e.g. `X-Request-Id` from your own request). */
  headers?: Record<string, string>;
}

/** What openapi-fetch resolves to: data on 2xx, the parsed error body otherwise. */
interface Outcome<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError for a non-2xx answer.
 * Use it with `client.api` for routes the named methods do not cover:
 * `await unwrap(client.api.GET('/search', { params: { query: { q: 'nest' } } }))`.
 */
export async function unwrap<Data>(pending: Promise<Outcome<Data>>, method?: string): Promise<Data> {
  const { data, error, response } = await pending;
  if (response.ok) return data as Data;
  throw new ApiError({
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: error,
    method,
    url: response.url || undefined,
  });
}

/**
 * The client: named methods for the RealWorld routes (each returns the data or throws an
 * ApiError), plus `api` for any route of the document.
 */
export interface ConduitClient {
  /** The typed openapi-fetch client (same auth): returns `{ data, error, response }`, never throws for 4xx/5xx. */
  readonly api: RawClient;
  /** The token sent with each request, if any. */
  readonly token: string | undefined;
  setToken(token: string | undefined): void;
  users: {
    /** Registers and keeps the new user's token for the next calls. */
    register(user: NewUser): Promise<User>;
    /** Signs in and keeps the token for the next calls. */
    login(credentials: LoginUser): Promise<User>;
    current(): Promise<User>;
    update(changes: UpdateUser): Promise<User>;
    /** Forgets the token (the JWT itself stays valid until it expires). */
    logout(): void;
  };
  profiles: {
    get(username: string): Promise<Profile>;
    follow(username: string): Promise<Profile>;
    unfollow(username: string): Promise<Profile>;
  };
  articles: {
    list(query?: ArticleQuery): Promise<ArticleList>;
    /** Articles by the users the signed-in user follows. */
    feed(query?: FeedQuery): Promise<ArticleList>;
    get(slug: string): Promise<Article>;
    create(article: NewArticle): Promise<Article>;
    update(slug: string, changes: UpdateArticle): Promise<Article>;
    delete(slug: string): Promise<void>;
    favorite(slug: string): Promise<Article>;
    unfavorite(slug: string): Promise<Article>;
  };
  comments: {
    list(slug: string): Promise<Comment[]>;
    add(slug: string, body: string): Promise<Comment>;
    delete(slug: string, id: number | string): Promise<void>;
  };
  tags: {
    list(): Promise<string[]>;
  };
}

export function createConduitClient(options: ConduitClientOptions): ConduitClient {
  let token = options.token;
  const api: RawClient = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
    headers: options.headers,
  });

  // Set per request, so a token changed by login or setToken applies to the next call. A header
  // the caller passes explicitly (another user's token in a test, say) wins.
  const auth: Middleware = {
    onRequest({ request }) {
      if (token && !request.headers.has('authorization')) request.headers.set('Authorization', `Token ${token}`);
      return request;
    },
  };
  api.use(auth);

  const signedIn = (user: User): User => {
    token = user.token;
    return user;
  };

  return {
    api,
    get token(): string | undefined {
      return token;
    },
    setToken(next) {
      token = next;
    },

    users: {
      register: async (user: NewUser) => signedIn((await unwrap(api.POST('/users', { body: { user } }), 'POST')).user),
      login: async (credentials: LoginUser) =>
        signedIn((await unwrap(api.POST('/users/login', { body: { user: credentials } }), 'POST')).user),
      current: async () => (await unwrap(api.GET('/user'), 'GET')).user,
      update: async (changes: UpdateUser) =>
        signedIn((await unwrap(api.PUT('/user', { body: { user: changes } }), 'PUT')).user),
      logout: () => {
        token = undefined;
      },
    },

    profiles: {
      get: async (username: string) =>
        (await unwrap(api.GET('/profiles/{username}', { params: { path: { username } } }), 'GET')).profile,
      follow: async (username: string) =>
        (await unwrap(api.POST('/profiles/{username}/follow', { params: { path: { username } } }), 'POST')).profile,
      unfollow: async (username: string) =>
        (await unwrap(api.DELETE('/profiles/{username}/follow', { params: { path: { username } } }), 'DELETE')).profile,
    },

    articles: {
      list: async (query = {}) => unwrap(api.GET('/articles', { params: { query } }), 'GET'),
      feed: async (query = {}) => unwrap(api.GET('/articles/feed', { params: { query } }), 'GET'),
      get: async (slug: string) =>
        (await unwrap(api.GET('/articles/{slug}', { params: { path: { slug } } }), 'GET')).article,
      create: async (article: NewArticle) =>
        (await unwrap(api.POST('/articles', { body: { article } }), 'POST')).article,
      update: async (slug: string, changes: UpdateArticle) =>
        (await unwrap(api.PUT('/articles/{slug}', { params: { path: { slug } }, body: { article: changes } }), 'PUT'))
          .article,
      delete: async (slug) => {
        await unwrap(api.DELETE('/articles/{slug}', { params: { path: { slug } } }), 'DELETE');
      },
      favorite: async (slug: string) =>
        (await unwrap(api.POST('/articles/{slug}/favorite', { params: { path: { slug } } }), 'POST')).article,
      unfavorite: async (slug: string) =>
        (await unwrap(api.DELETE('/articles/{slug}/favorite', { params: { path: { slug } } }), 'DELETE')).article,
    },

    comments: {
      list: async (slug: string) =>
        (await unwrap(api.GET('/articles/{slug}/comments', { params: { path: { slug } } }), 'GET')).comments,
      add: async (slug: string, body: string) =>
        (
          await unwrap(
            api.POST('/articles/{slug}/comments', { params: { path: { slug } }, body: { comment: { body } } }),
            'POST',
          )
        ).comment,
      delete: async (slug: string, id: number | string): Promise<void> => {
        await unwrap(
          api.DELETE('/articles/{slug}/comments/{id}', { params: { path: { slug, id: String(id) } } }),
          'DELETE',
        );
      },
    },

    tags: {
      list: async () => (await unwrap(api.GET('/tags'), 'GET')).tags,
    },
  };
}
