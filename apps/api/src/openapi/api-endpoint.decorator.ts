/**
 * @roadmap apis.openapi
 * Look at how one decorator states every status a route can answer and its response schema; the
 * request body and query parameters need no decorator here, because @nestjs/swagger reads them
 * from the handler's DTO types, whose fields state their own rules.
 */
import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { SchemaName } from './schemas';

export const TOKEN_SECURITY = 'Token';

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  [HttpStatus.UNAUTHORIZED]: 'Unauthorized: the token is missing or invalid',
  [HttpStatus.FORBIDDEN]: 'Forbidden: the error key names the resource (article, comment)',
  [HttpStatus.NOT_FOUND]: 'Not found: the error key names the resource (article, profile, comment)',
  [HttpStatus.CONFLICT]: 'Conflict: the value is already taken',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'Validation failed: each key names a field',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too many attempts: retry after the Retry-After header (docs/rate-limits.md)',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'Busy or a dependency unreachable: retry after the Retry-After header',
};

export interface ApiEndpointOptions {
  operationId: string;
  summary: string;
  /** `optional`: anonymous readers are served; a token, when sent, must be valid. */
  auth: 'required' | 'optional' | 'none';
  success: { status: number; schema?: SchemaName; description: string };
  errors: number[];
}

export function ApiEndpoint(options: ApiEndpointOptions): MethodDecorator {
  const decorators = [
    ApiOperation({ operationId: options.operationId, summary: options.summary }),
    ApiResponse({
      status: options.success.status,
      description: options.success.description,
      ...(options.success.schema && { schema: { $ref: `#/components/schemas/${options.success.schema}` } }),
    }),
    ...options.errors.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        schema: { $ref: '#/components/schemas/GenericErrorModel' },
      }),
    ),
  ];
  if (options.auth === 'required') decorators.push(ApiSecurity(TOKEN_SECURITY));
  if (options.auth === 'optional') decorators.push(ApiSecurity(TOKEN_SECURITY), ApiSecurity({}));
  return applyDecorators(...decorators);
}
