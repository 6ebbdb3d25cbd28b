/**
 * @roadmap languages.publish-package
 * Look at the package's whole public surface in one file: the client, its error type and the
 * types generated from the API's OpenAPI document.
 */
export {
  createConduitClient,
  unwrap,
  type ConduitClient,
  type ConduitClientOptions,
  type RawClient,
  type User,
  type Profile,
  type Article,
  type ArticleListItem,
  type ArticleList,
  type ArticleQuery,
  type FeedQuery,
  type Comment,
  type NewUser,
  type LoginUser,
  type UpdateUser,
  type NewArticle,
  type UpdateArticle,
} from './client';
export {
  ApiError,
  isApiError,
  parseRetryAfter,
  UNPARSED_ERROR_KEY,
  type ErrorMap,
  type FailedExchange,
} from './api-error';
export type { paths, components, operations } from './generated/api-schema';
