/**
 * @roadmap apis.graphql, databases.full-text-search
 * Look at a search hit in GraphQL: the article (the same type lists return) and the highlighted
 * fragments that matched, as sanitized HTML with each match in `<mark>`.
 */
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { SEARCH_QUERY_MAX_LENGTH } from '@capstone/search';
import { TAG_MAX_LENGTH, type ArticleSummary } from '../articles/article.model';
import { ArticleType } from '../articles/article.type';
import { ConnectionType } from '../graphql/connection';
import { OptionalText, RequiredText } from '../common/validation/fields';
import { USERNAME_MAX_LENGTH } from '../users/user.model';
import type { SearchHighlight } from './search.model';

@ObjectType('SearchHighlight', {
  description: 'HTML: the text escaped, each match in <mark>; only fields that matched.',
})
export class SearchHighlightType {
  @Field(() => String, { nullable: true })
  title?: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  body?: string;
}

@ObjectType('ArticleSearchHit')
export class ArticleSearchHitType {
  @Field(() => ArticleType)
  article!: ArticleSummary;

  @Field(() => SearchHighlightType)
  highlight!: SearchHighlight;
}

export const ArticleSearchConnection = ConnectionType(ArticleSearchHitType, 'ArticleSearch');

@ArgsType()
export class SearchArgs {
  @Field({ description: 'Every word must match; the last one may be the start of a word.' })
  @RequiredText({ max: SEARCH_QUERY_MAX_LENGTH })
  query!: string;

  @Field({ nullable: true })
  @OptionalText({ max: TAG_MAX_LENGTH })
  tag?: string;

  @Field({ nullable: true, description: 'Username of the author.' })
  @OptionalText({ max: USERNAME_MAX_LENGTH })
  author?: string;

  // Typed by GraphQL and checked against the page bounds in pageFromArgs (connection.ts).
  @Field(() => Int, { nullable: true })
  @Allow()
  first?: number;

  @Field(() => String, { nullable: true })
  @Allow()
  after?: string;
}
