/**
 * @roadmap apis.openapi
 * Look at how the RealWorld spec's shapes are written once as OpenAPI components, and referenced
 * by every route's decorators.
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

export const COMPONENT_SCHEMAS: Record<string, SchemaObject> = {
  LoginUser: {
    type: 'object',
    required: ['email', 'password'],
    properties: { email: { type: 'string' }, password: { type: 'string', format: 'password' } },
  },
  NewUser: {
    type: 'object',
    required: ['username', 'email', 'password'],
    properties: {
      username: { type: 'string', maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' },
      email: { type: 'string', format: 'email', maxLength: 254 },
      password: { type: 'string', format: 'password', minLength: 8, maxLength: 256 },
    },
  },
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
  UpdateUser: {
    type: 'object',
    description: 'At least one field is required. `null` clears bio or image.',
    properties: {
      email: { type: 'string', format: 'email' },
      password: { type: 'string', format: 'password', minLength: 8 },
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
  NewArticle: {
    type: 'object',
    required: ['title', 'description', 'body'],
    properties: {
      title: { type: 'string', maxLength: 200 },
      description: { type: 'string', maxLength: 1000 },
      body: { type: 'string' },
      tagList: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 20 },
    },
  },
  UpdateArticle: {
    type: 'object',
    description: 'At least one field is required. An empty tagList clears the tags; leaving it out keeps them.',
    properties: {
      title: { type: 'string' },
      description: { type: 'string' },
      body: { type: 'string' },
      tagList: { type: 'array', items: { type: 'string' } },
    },
  },
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
  NewComment: { type: 'object', required: ['body'], properties: { body: { type: 'string' } } },
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
  SingleCommentResponse: envelope('comment', ref('Comment')),
  MultipleCommentsResponse: envelope('comments', { type: 'array', items: ref('Comment') }),
  TagsResponse: envelope('tags', { type: 'array', items: { type: 'string' } }),
  LoginUserRequest: envelope('user', ref('LoginUser')),
  NewUserRequest: envelope('user', ref('NewUser')),
  UpdateUserRequest: envelope('user', ref('UpdateUser')),
  NewArticleRequest: envelope('article', ref('NewArticle')),
  UpdateArticleRequest: envelope('article', ref('UpdateArticle')),
  NewCommentRequest: envelope('comment', ref('NewComment')),
};

export type SchemaName = keyof typeof COMPONENT_SCHEMAS;
