/**
 * @roadmap security.input-validation, apis.pagination
 * Look at the limits: every string has a maximum length and `limit` has a ceiling, so no request
 * can ask the database for unbounded work.
 */
import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Envelope, OptionalNotNull } from '../../common/validation-decorators';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const BLANK = { message: "can't be blank" };
const TEXT = { message: 'must be a string' };
const tooLong = (max: number) => ({ message: `is too long (maximum is ${max} characters)` });

/** Tags are trimmed and de-duplicated, keeping the order the author gave. */
const normaliseTags = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((tag) => (typeof tag === 'string' ? tag.trim() : tag)))] : value;

/** A required, non-blank string of at most `max` characters. */
const Text = (max: number) => applyDecorators(IsNotEmpty(BLANK), IsString(TEXT), MaxLength(max, tooLong(max)));

/** An optional list of up to 20 non-blank tags, each at most 40 characters. */
const TagList = () =>
  applyDecorators(
    OptionalNotNull(),
    IsArray({ message: 'must be a list of strings' }),
    ArrayMaxSize(20, { message: 'may have at most 20 tags' }),
    IsString({ each: true, message: 'must be a list of strings' }),
    IsNotEmpty({ each: true, message: "can't contain a blank tag" }),
    MaxLength(40, { each: true, message: 'each tag is at most 40 characters' }),
    Transform(normaliseTags),
  );

class NewArticle {
  @Text(200)
  title!: string;

  @Text(1000)
  description!: string;

  @Text(100_000)
  body!: string;

  @TagList()
  tagList?: string[];
}

class UpdateArticle {
  @OptionalNotNull()
  @Text(200)
  title?: string;

  @OptionalNotNull()
  @Text(1000)
  description?: string;

  @OptionalNotNull()
  @Text(100_000)
  body?: string;

  /** Sent as [] clears the tags; left out keeps them. */
  @TagList()
  tagList?: string[];
}

export class CreateArticleBody {
  @Envelope(() => NewArticle)
  article!: NewArticle;
}

export class UpdateArticleBody {
  @Envelope(() => UpdateArticle)
  article!: UpdateArticle;
}

/** `limit` and `offset`, shared by every list. */
export class PageQuery {
  // "ten" becomes NaN and "1.5" a fraction: both fail @IsInt with a 422, never a 500.
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `must be at most ${MAX_PAGE_SIZE}` })
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be 0 or more' })
  offset?: number;
}

export class ListArticlesQuery extends PageQuery {
  @IsOptional()
  @IsString(TEXT)
  tag?: string;

  @IsOptional()
  @IsString(TEXT)
  author?: string;

  @IsOptional()
  @IsString(TEXT)
  favorited?: string;
}
