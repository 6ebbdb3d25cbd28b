/**
 * @roadmap security.input-validation, apis.openapi
 * Look at the query string of GET /api/search stated once: `q` is required, non-blank and bounded
 * (200 characters), the filters are the list's, and the page has its own, tighter bounds, all in
 * the OpenAPI document because the decorators that check them also describe them.
 */
import { SEARCH_QUERY_MAX_LENGTH } from '@capstone/search';
import { TAG_MAX_LENGTH } from '../../articles/article.model';
import { OptionalIntegerQuery, OptionalText, RequiredText } from '../../common/validation/fields';
import { USERNAME_MAX_LENGTH } from '../../users/user.model';
import { SEARCH_PAGES } from '../search.model';

export class SearchArticlesQuery {
  @RequiredText({
    max: SEARCH_QUERY_MAX_LENGTH,
    description:
      'What to look for: every word must match (title, tags, description or body); the last one may be ' +
      'the start of a word. Punctuation and operators are ignored; so are common words such as "the".',
    example: 'postgres index',
  })
  q!: string;

  @OptionalText({ max: TAG_MAX_LENGTH, description: 'Only articles with this tag.' })
  tag?: string;

  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles by this author (username).' })
  author?: string;

  @OptionalIntegerQuery({
    min: 1,
    max: SEARCH_PAGES.maxLimit,
    default: SEARCH_PAGES.defaultLimit,
    description: 'How many articles to return, best match first.',
  })
  limit?: number;

  @OptionalIntegerQuery({
    min: 0,
    max: SEARCH_PAGES.maxOffset,
    default: 0,
    description: 'How many matches to skip before the first one returned.',
  })
  offset?: number;
}
