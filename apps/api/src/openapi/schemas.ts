/**
 * @roadmap apis.openapi
 * Look at the response shapes of the RealWorld spec, written once as OpenAPI components and
 * referenced by every route's decorator. (Request shapes come from the DTOs themselves.)
 */
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const nullableString: SchemaObject = { type: 'string', nullable: true };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const envelope = (key: string, schema: SchemaObject | { $ref: string }): SchemaObject => ({
  type: 'object',
  required: [key],
  properties: { [key]: schema },
});

const articleProperties: Record<string, SchemaObject | { $ref: string }> = {
  slug: { type: 'string' },
  title: { type: 'string' },
  description: { type: 'string' },
  body: { type: 'string' },
  tagList: { type: 'array', items: { type: 'string' } },
  createdAt: dateTime,
  updatedAt: dateTime,
  favorited: { type: 'boolean' },
  favoritesCount: { type: 'integer' },
  author: ref('Profile'),
};
const articleRequired = [
  'slug',
  'title',
  'description',
  'tagList',
  'createdAt',
  'updatedAt',
  'favorited',
  'favoritesCount',
  'author',
];
const { body: _body, ...listItemProperties } = articleProperties;

export const COMPONENT_SCHEMAS = {
  User: {
    type: 'object',
    required: ['email', 'token', 'username', 'bio', 'image'],
    properties: {
      email: { type: 'string' },
      token: { type: 'string' },
      username: { type: 'string' },
      bio: nullableString,
      image: nullableString,
    },
  },
  Profile: {
    type: 'object',
    required: ['username', 'bio', 'image', 'following'],
    properties: {
      username: { type: 'string' },
      bio: nullableString,
      image: nullableString,
      following: { type: 'boolean' },
    },
  },
  Article: { type: 'object', required: [...articleRequired, 'body'], properties: articleProperties },
  ArticleListItem: { type: 'object', required: articleRequired, properties: listItemProperties },
  Comment: {
    type: 'object',
    required: ['id', 'createdAt', 'updatedAt', 'body', 'author'],
    properties: {
      id: { type: 'integer' },
      createdAt: dateTime,
      updatedAt: dateTime,
      body: { type: 'string' },
      author: ref('Profile'),
    },
  },
  GenericErrorModel: {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
  },
  UserResponse: envelope('user', ref('User')),
  ProfileResponse: envelope('profile', ref('Profile')),
  SingleArticleResponse: envelope('article', ref('Article')),
  MultipleArticlesResponse: {
    type: 'object',
    required: ['articles', 'articlesCount'],
    properties: { articles: { type: 'array', items: ref('ArticleListItem') }, articlesCount: { type: 'integer' } },
  },
  SearchHighlight: {
    type: 'object',
    description:
      'Snippets of the fields where a word matched, as HTML: the text escaped, each match in <mark>...</mark>. ' +
      'A field without a match is absent.',
    properties: { title: { type: 'string' }, description: { type: 'string' }, body: { type: 'string' } },
  },
  SearchResultItem: {
    type: 'object',
    required: [...articleRequired, 'highlight'],
    properties: { ...listItemProperties, highlight: ref('SearchHighlight') },
  },
  SearchResultsResponse: {
    type: 'object',
    required: ['articles', 'articlesCount'],
    properties: {
      articles: { type: 'array', items: ref('SearchResultItem'), description: 'Best match first' },
      articlesCount: { type: 'integer', description: 'Every match, not just this page' },
    },
  },
  SingleCommentResponse: envelope('comment', ref('Comment')),
  MultipleCommentsResponse: envelope('comments', { type: 'array', items: ref('Comment') }),
  TagsResponse: envelope('tags', { type: 'array', items: { type: 'string' } }),
  // Personal access tokens (apps/api/src/access-tokens/): not in the RealWorld spec.
  PersonalAccessToken: {
    type: 'object',
    required: ['id', 'name', 'scopes', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      scopes: { type: 'array', items: { type: 'string', enum: ['read', 'write'] } },
      prefix: { type: 'string', description: 'The first characters of the token, to recognise it' },
      createdAt: dateTime,
      expiresAt: dateTime,
      lastUsedAt: { ...dateTime, nullable: true },
    },
  },
  NewPersonalAccessTokenResponse: envelope('token', {
    allOf: [
      ref('PersonalAccessToken'),
      {
        type: 'object',
        required: ['token'],
        properties: {
          token: { type: 'string', description: 'Shown only once: send as `Authorization: Token cpat_...`' },
        },
      },
    ],
  }),
  PersonalAccessTokensResponse: envelope('tokens', { type: 'array', items: ref('PersonalAccessToken') }),
  // Opt-in sessions (apps/api/src/sessions/): not in the RealWorld spec.
  SessionResponse: {
    type: 'object',
    required: ['session', 'user'],
    description: 'Cookie transport: no accessToken, refreshToken or user.token (they are in HttpOnly cookies).',
    properties: {
      session: {
        type: 'object',
        required: ['id', 'transport', 'accessTokenExpiresAt', 'expiresAt'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          transport: { type: 'string', enum: ['bearer', 'cookie'] },
          accessToken: { type: 'string', description: 'Bearer transport: send as `Authorization: Bearer <token>`' },
          accessTokenExpiresAt: dateTime,
          refreshToken: { type: 'string', description: 'Bearer transport: single use, for POST /auth/refresh' },
          expiresAt: { ...dateTime, description: 'The session ends then, however often it is refreshed' },
          csrfToken: { type: 'string', description: 'Cookie transport: send as X-CSRF-Token on unsafe requests' },
        },
      },
      user: {
        type: 'object',
        required: ['email', 'username', 'bio', 'image'],
        properties: {
          email: { type: 'string' },
          token: { type: 'string', description: 'Bearer transport: the access token (as in UserResponse)' },
          username: { type: 'string' },
          bio: nullableString,
          image: nullableString,
        },
      },
    },
  },
  SessionsResponse: envelope('sessions', {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'method', 'transport', 'userAgent', 'ip', 'createdAt', 'lastUsedAt', 'expiresAt', 'current'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        method: { type: 'string', description: 'password, oidc:<provider>' },
        transport: { type: 'string', enum: ['bearer', 'cookie'] },
        userAgent: nullableString,
        ip: nullableString,
        createdAt: dateTime,
        lastUsedAt: dateTime,
        expiresAt: dateTime,
        current: { type: 'boolean', description: 'The session of the token this request was made with' },
      },
    },
  }),
} satisfies Record<string, SchemaObject>;

export type SchemaName = keyof typeof COMPONENT_SCHEMAS;
