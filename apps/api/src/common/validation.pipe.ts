/**
 * @roadmap security.input-validation, security.mass-assignment
 * Look at `whitelist` + `forbidNonWhitelisted`: a body field no DTO declares (`role`, `authorId`)
 * is rejected with 422 instead of reaching the database.
 */
import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Request envelopes (`{"user": {...}}`) whose name we leave out of error keys, as the spec does. */
const ENVELOPES = new Set(['user', 'article', 'comment']);

@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Query strings arrive as text; DTOs convert explicitly with @Type(() => Number).
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ApiError.unprocessable(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw ApiError.unprocessable({ body: ['must be a JSON object'] });
      }
    }
    return super.transform(value, metadata);
  }
}

export function flattenValidationErrors(
  errors: ValidationError[],
  parentPath: string[] = [],
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const error of errors) {
    const path = [...parentPath, error.property];
    const key = path.filter((part, index) => !(index === 0 && ENVELOPES.has(part) && path.length > 1)).join('.');
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
  if (gate === 'whitelistValidation') return ['is not an allowed field'];
  return gate ? [constraints[gate]] : Object.values(constraints);
}
