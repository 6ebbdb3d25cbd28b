/**
 * @roadmap security.input-validation, security.mass-assignment
 * Look at `whitelist` + `forbidNonWhitelisted`: a body field no DTO declares (`role`, `authorId`)
 * is rejected with 422 instead of reaching the database; and at the NUL check, which refuses a
 * character Postgres cannot store before any query runs.
 */
import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError } from '../errors/domain-errors';
import { MESSAGES } from './messages';

/** Request envelopes (`{"user": {...}}`) whose name we leave out of error keys, as the spec does. */
const ENVELOPES = new Set(['user', 'article', 'comment', 'token']);

@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Query strings arrive as text; DTOs convert explicitly (see OptionalIntegerQuery).
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new InvalidInputError(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidInputError({ body: [MESSAGES.notJsonObject] });
      }
    }
    // GraphQL arguments arrive as 'args' (see @nestjs/graphql's GqlParamtype).
    if (metadata.type === 'body' || metadata.type === 'query' || (metadata.type as string) === 'args') {
      // Postgres text cannot hold U+0000: refused here with the field's name, not as a 500 later.
      const withNul = fieldsContainingNul(value);
      if (withNul.length > 0) {
        throw new InvalidInputError(Object.fromEntries(withNul.map((field) => [field, [MESSAGES.nulCharacter]])));
      }
    }
    return super.transform(value, metadata);
  }
}

/** Names of the fields (as error keys) whose string value, or any string inside it, holds U+0000. */
export function fieldsContainingNul(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [errorKey(path)] : [];
  if (typeof value !== 'object' || value === null) return [];
  // An array's items are reported on the array itself: `tagList`, not `tagList.3`.
  const entries = Array.isArray(value) ? value.map((item) => ['', item] as const) : Object.entries(value);
  const found = entries.flatMap(([key, item]) => fieldsContainingNul(item, key === '' ? path : [...path, key]));
  return [...new Set(found)];
}

function errorKey(path: string[]): string {
  const key = path.filter((part, index) => !(index === 0 && ENVELOPES.has(part) && path.length > 1)).join('.');
  return key || 'body';
}

export function flattenValidationErrors(
  errors: ValidationError[],
  parentPath: string[] = [],
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const error of errors) {
    const path = [...parentPath, error.property];
    const key = errorKey(path);
    const constraints = error.constraints ?? {};
    const messages = messagesWorthShowing(constraints);
    if (messages.length) (result[key] ??= []).push(...messages);
    // When the value itself is wrong (missing, not an object), what is inside it does not matter.
    const gated = GATE_CONSTRAINTS.some((name) => name in constraints);
    if (!gated && error.children?.length) {
      for (const [childKey, messages] of Object.entries(flattenValidationErrors(error.children, path))) {
        (result[childKey] ??= []).push(...messages);
      }
    }
  }
  return result;
}

/** A missing or mistyped value fails every rule; saying "can't be blank" alone is clearer. */
const GATE_CONSTRAINTS = ['whitelistValidation', 'isDefined', 'isObject', 'isNotEmpty', 'isString', 'isInt', 'isArray'];

function messagesWorthShowing(constraints: Record<string, string>): string[] {
  const gate = GATE_CONSTRAINTS.find((name) => name in constraints);
  if (gate === 'whitelistValidation') return [MESSAGES.notAllowed];
  return gate ? [constraints[gate]] : Object.values(constraints);
}
