/**
 * @roadmap security.input-validation, apis.openapi
 * Look at how each decorator states a field's rules once and derives both the check that runs on
 * every request (class-validator) and the schema the OpenAPI document shows (`@ApiProperty`), so
 * the document cannot promise less or more than the API enforces.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MESSAGES } from './messages';

export interface TextRules {
  /** Every string has a maximum length: no request can make the database store an essay in a name. */
  max: number;
  min?: number;
  pattern?: { regex: RegExp; message: string };
  format?: 'email' | 'url' | 'password';
  description?: string;
  example?: string;
}

/** `{"user": {...}}`: present, an object (not an array or a string), and valid inside. */
export function Envelope(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    // Written as a property arrow so @nestjs/swagger sees a lazy type (it checks the function's name).
    ApiProperty({ type: () => type(), required: true }),
    IsDefined({ message: MESSAGES.blank }),
    IsObject({ message: MESSAGES.notObject }),
    ValidateNested(),
    Type(type),
  );
}

/** Must be sent, as a non-blank string that follows `rules`. */
export function RequiredText(rules: TextRules): PropertyDecorator {
  return applyDecorators(ApiProperty({ ...textSchema(rules, true), required: true }), ...textChecks(rules, true));
}

/**
 * May be left out; when sent, it is checked, so `null` fails like any other non-string.
 * (`@IsOptional()` would let `null` through to the database.)
 */
export function OptionalText(rules: TextRules): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional(textSchema(rules, true)),
    ValidateIf((_object, value) => value !== undefined),
    ...textChecks(rules, true),
  );
}

/** May be left out, or sent as `null` or `""` to clear the value; anything else follows `rules`. */
export function ClearableText(rules: TextRules): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ ...textSchema(rules, false), nullable: true }),
    ValidateIf((_object, value) => value !== undefined && value !== null && value !== ''),
    ...textChecks(rules, false),
  );
}

/** An optional list of non-blank strings, e.g. an article's tags. `[]` is a valid (empty) list. */
export function OptionalStringList(rules: { maxItems: number; itemMax: number }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: rules.itemMax },
      maxItems: rules.maxItems,
    }),
    ValidateIf((_object, value) => value !== undefined),
    IsArray({ message: MESSAGES.listOfStrings }),
    ArrayMaxSize(rules.maxItems, { message: MESSAGES.tooManyItems(rules.maxItems) }),
    IsString({ each: true, message: MESSAGES.listOfStrings }),
    IsNotEmpty({ each: true, message: MESSAGES.blankListItem }),
    MaxLength(rules.itemMax, { each: true, message: MESSAGES.listItemTooLong(rules.itemMax) }),
  );
}

/**
 * An optional whole number in a query string (`?limit=20`). Only plain decimal digits convert:
 * "1e308", "0x10", "1.5" and "ten" all answer "must be a whole number" instead of reaching the
 * database as a number it cannot take.
 */
export function OptionalIntegerQuery(rules: { min: number; max: number; default: number; description: string }) {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: rules.min,
      maximum: rules.max,
      default: rules.default,
      description: rules.description,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => parseWholeNumber(value)),
    IsInt({ message: MESSAGES.wholeNumber }),
    Min(rules.min, { message: MESSAGES.atLeast(rules.min) }),
    Max(rules.max, { message: MESSAGES.atMost(rules.max) }),
  );
}

/** "42" -> 42, "-1" -> -1 (so Min can say why it is refused); anything else -> NaN. */
export function parseWholeNumber(value: unknown): unknown {
  if (typeof value !== 'string') return Number.NaN;
  return /^-?\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}

/** Trims surrounding white space before the checks run (an email typed with a trailing space). */
export function Trimmed(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

function textChecks(rules: TextRules, nonBlank: boolean): PropertyDecorator[] {
  const checks: PropertyDecorator[] = [
    IsString({ message: MESSAGES.notString }),
    MaxLength(rules.max, { message: MESSAGES.tooLong(rules.max) }),
  ];
  if (nonBlank) checks.unshift(IsNotEmpty({ message: MESSAGES.blank }));
  if (rules.min !== undefined) checks.push(MinLength(rules.min, { message: MESSAGES.tooShort(rules.min) }));
  if (rules.pattern) checks.push(Matches(rules.pattern.regex, { message: rules.pattern.message }));
  if (rules.format === 'email') checks.push(IsEmail({}, { message: MESSAGES.email }));
  if (rules.format === 'url') {
    checks.push(IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: MESSAGES.url }));
  }
  return checks;
}

const OPENAPI_FORMAT = { email: 'email', url: 'uri', password: 'password' } as const;

function textSchema(rules: TextRules, nonBlank: boolean) {
  const minLength = rules.min ?? (nonBlank ? 1 : undefined);
  return {
    type: 'string' as const,
    maxLength: rules.max,
    ...(minLength !== undefined && { minLength }),
    ...(rules.pattern && { pattern: rules.pattern.regex.source }),
    ...(rules.format && { format: OPENAPI_FORMAT[rules.format] }),
    ...(rules.description && { description: rules.description }),
    ...(rules.example && { example: rules.example }),
  };
}
