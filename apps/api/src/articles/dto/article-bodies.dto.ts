/**
 * @roadmap security.input-validation, apis.openapi
 * Look at the limits: every string has a maximum length and the tag list a maximum size, written
 * once with the spec's schema names, so the OpenAPI document shows exactly what is enforced.
 */
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
class NewArticleDto {
  @RequiredText(TITLE)
  title!: string;

  @RequiredText(DESCRIPTION)
  description!: string;

  @RequiredText(BODY)
  body!: string;

  @NormalizedTags()
  @OptionalStringList(TAGS)
  tagList?: string[];
}

@ApiSchema({
  name: 'UpdateArticle',
  description: 'At least one field is required. An empty tagList clears the tags; leaving it out keeps them.',
})
class UpdateArticleDto {
  @OptionalText(TITLE)
  title?: string;

  @OptionalText(DESCRIPTION)
  description?: string;

  @OptionalText(BODY)
  body?: string;

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

/** The global list's filters, plus the page. An unknown value matches nothing: an empty list. */
export class ListArticlesQuery extends PageQuery {
  @OptionalText({ max: TAG_MAX_LENGTH, description: 'Only articles with this tag.' })
  tag?: string;

  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles by this author (username).' })
  author?: string;

  @OptionalText({ max: USERNAME_MAX_LENGTH, description: 'Only articles favorited by this user (username).' })
  favorited?: string;
}
