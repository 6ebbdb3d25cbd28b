/**
 * @roadmap security.input-validation, apis.openapi
 * Look at the limits: every string has a maximum length and the tag list a maximum size, written
 * once with the spec's schema names, so the OpenAPI document shows exactly what is enforced. The
 * same classes are GraphQL's input types: one set of rules for REST and GraphQL.
 */
import { Field, InputType } from '@nestjs/graphql';
import { ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { PageQuery } from '../../common/dto/page-query.dto';
import {
  Envelope,
  OptionalStringList,
  OptionalText,
  RequiredText,
  type TextRules,
} from '../../common/validation/fields';
import {
  BODY_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_TAGS,
  normalizeTags,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '../article.model';
import { USERNAME_MAX_LENGTH } from '../../users/user.model';

const TITLE: TextRules = { max: TITLE_MAX_LENGTH, example: 'How to train your dragon' };
const DESCRIPTION: TextRules = { max: DESCRIPTION_MAX_LENGTH, example: 'Ever wonder how?' };
const BODY: TextRules = { max: BODY_MAX_LENGTH, example: 'You have to believe' };
const TAGS = { maxItems: MAX_TAGS, itemMax: TAG_MAX_LENGTH };

/** Trimmed before the checks, so that a tag of spaces only is reported as blank. */
const NormalizedTags = () =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) && value.every((tag) => typeof tag === 'string') ? normalizeTags(value) : value,
  );

@ApiSchema({ name: 'NewArticle' })
@InputType('NewArticleInput')
export class NewArticleDto {
  @Field()
  @RequiredText(TITLE)
  title!: string;

  @Field()
  @RequiredText(DESCRIPTION)
  description!: string;

  @Field()
  @RequiredText(BODY)
  body!: string;

  @Field(() => [String], { nullable: true })
  @NormalizedTags()
  @OptionalStringList(TAGS)
  tagList?: string[];
}

@ApiSchema({
  name: 'UpdateArticle',
  description: 'At least one field is required. An empty tagList clears the tags; leaving it out keeps them.',
})
@InputType('UpdateArticleInput', { description: 'At least one field. An empty tagList clears the tags.' })
export class UpdateArticleDto {
  @Field({ nullable: true })
  @OptionalText(TITLE)
  title?: string;

  @Field({ nullable: true })
  @OptionalText(DESCRIPTION)
  description?: string;

  @Field({ nullable: true })
  @OptionalText(BODY)
  body?: string;

  @Field(() => [String], { nullable: true })
  @NormalizedTags()
  @OptionalStringList(TAGS)
  tagList?: string[];
}

@ApiSchema({ name: 'NewArticleRequest' })
export class CreateArticleBody {
  @Envelope(() => NewArticleDto)
  article!: NewArticleDto;
}

@ApiSchema({ name: 'UpdateArticleRequest' })
export class UpdateArticleBody {
  @Envelope(() => UpdateArticleDto)
  article!: UpdateArticleDto;
}

/** The global list's filters in GraphQL (`articles(filter: {...})`); REST has them in the query string. */
@InputType('ArticleFilter')
export class ArticleFilterInput {
  @Field({ nullable: true, description: 'Only articles with this tag.' })
  @OptionalText({ max: TAG_MAX_LENGTH, description: 'Only articles with this tag.' })
  tag?: string;

  @Field({ nullable: true, description: 'Only articles by this author (username).' })
  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles by this author (username).' })
  author?: string;

  @Field({ nullable: true, description: 'Only articles favorited by this user (username).' })
  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles favorited by this user (username).' })
  favorited?: string;
}

/** The global list's filters, plus the page. An unknown value matches nothing: an empty list. */
export class ListArticlesQuery extends PageQuery {
  @OptionalText({ max: TAG_MAX_LENGTH, description: 'Only articles with this tag.' })
  tag?: string;

  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles by this author (username).' })
  author?: string;

  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles favorited by this user (username).' })
  favorited?: string;
}
