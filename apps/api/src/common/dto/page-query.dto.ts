/**
 * @roadmap apis.pagination, security.input-validation
 * Look at how `limit` and `offset` are checked against the same bounds the services use, and
 * documented from those bounds in the OpenAPI document.
 */
import { ARTICLE_PAGES, COMMENT_PAGES } from '../pagination';
import { OptionalIntegerQuery } from '../validation/fields';

/** `?limit=&offset=` for lists of articles (the spec's offsetParam and limitParam). */
export class PageQuery {
  @OptionalIntegerQuery({
    min: 1,
    max: ARTICLE_PAGES.maxLimit,
    default: ARTICLE_PAGES.defaultLimit,
    description: 'How many items to return.',
  })
  limit?: number;

  @OptionalIntegerQuery({
    min: 0,
    max: ARTICLE_PAGES.maxOffset,
    default: 0,
    description: 'How many items to skip before the first one returned.',
  })
  offset?: number;
}

/** `?limit=&offset=` for an article's comments; optional, so spec clients that send neither still work. */
export class CommentPageQuery {
  @OptionalIntegerQuery({
    min: 1,
    max: COMMENT_PAGES.maxLimit,
    default: COMMENT_PAGES.defaultLimit,
    description: 'How many comments to return, oldest first.',
  })
  limit?: number;

  @OptionalIntegerQuery({
    min: 0,
    max: COMMENT_PAGES.maxOffset,
    default: 0,
    description: 'How many comments to skip.',
  })
  offset?: number;
}
