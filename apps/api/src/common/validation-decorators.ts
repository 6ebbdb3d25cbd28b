/**
 * @roadmap security.input-validation
 * Look at the two rules every body DTO builds on: an envelope must be a JSON object, and an
 * optional field may be left out but never sent as null (null would reach the database).
 */
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateIf, ValidateNested } from 'class-validator';

/** `{"user": {...}}`: present, an object (not an array or a string), and valid inside. */
export function Envelope(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: "can't be blank" }),
    IsObject({ message: 'must be an object' }),
    ValidateNested(),
    Type(type),
  );
}

/**
 * May be left out; when sent, it is validated, so `null` fails the field's own rules.
 * (`@IsOptional()` would let `null` through.)
 */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
