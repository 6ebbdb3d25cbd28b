/**
 * @roadmap security.input-validation, apis.openapi
 * Look at the shape checks of a new token (a name, a list of scope names, a whole number of days
 * within bounds), stated once for the check and the OpenAPI schema. Which scope names are valid
 * is a rule of the service (access-tokens.service.ts), so GraphQL or a script would get it too.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PAT_SCOPES, SCOPES } from '../../auth/credentials';
import { Envelope, RequiredText, Trimmed } from '../../common/validation/fields';
import { MESSAGES } from '../../common/validation/messages';
import { EXPIRY_DAYS, TOKEN_NAME_MAX_LENGTH } from '../access-token.model';

const SCOPE_MAX_LENGTH = 16;

function ScopeList(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      required: true,
      items: { type: 'string', enum: [...PAT_SCOPES], maxLength: SCOPE_MAX_LENGTH },
      maxItems: SCOPES.length,
      description: 'What the token may do: `read` (GET requests, GraphQL queries), `write` (everything else).',
      example: ['read'],
    }),
    IsDefined({ message: MESSAGES.blank }),
    IsArray({ message: MESSAGES.listOfStrings }),
    ArrayMaxSize(SCOPES.length, { message: `may have at most ${SCOPES.length} scopes` }),
    IsString({ each: true, message: MESSAGES.listOfStrings }),
    MaxLength(SCOPE_MAX_LENGTH, { each: true, message: 'is not a scope' }),
  );
}

function ExpiryDays(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: EXPIRY_DAYS.min,
      maximum: EXPIRY_DAYS.max,
      default: EXPIRY_DAYS.default,
      description: 'Days until the token stops working.',
    }),
    // Sent as `null` it is checked (and refused), like any other non-number.
    ValidateIf((_object, value) => value !== undefined),
    IsInt({ message: MESSAGES.wholeNumber }),
    Min(EXPIRY_DAYS.min, { message: MESSAGES.atLeast(EXPIRY_DAYS.min) }),
    Max(EXPIRY_DAYS.max, { message: MESSAGES.atMost(EXPIRY_DAYS.max) }),
  );
}

@ApiSchema({ name: 'NewPersonalAccessToken' })
export class NewAccessTokenDto {
  @Trimmed()
  @RequiredText({ max: TOKEN_NAME_MAX_LENGTH, example: 'nightly backup script' })
  name!: string;

  @ScopeList()
  scopes!: string[];

  @ExpiryDays()
  expiresInDays?: number;
}

@ApiSchema({ name: 'NewPersonalAccessTokenRequest' })
export class CreateAccessTokenBody {
  @Envelope(() => NewAccessTokenDto)
  token!: NewAccessTokenDto;
}
