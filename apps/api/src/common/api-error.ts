/**
 * @roadmap apis.rest, apis.error-handling
 * Look at how every error the API sends has one shape: {"errors": {"<field>": ["<message>"]}}.
 */
import { HttpException, HttpStatus } from '@nestjs/common';

/** The RealWorld spec's GenericErrorModel. */
export type ErrorBody = { errors: Record<string, string[]> };

export function errorBody(field: string, ...messages: string[]): ErrorBody {
  return { errors: { [field]: messages } };
}

/** An HTTP error whose body is already in the API's error format. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, body: ErrorBody) {
    super(body, status);
  }

  static unprocessable(errors: Record<string, string[]>): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, { errors });
  }

  static unauthorized(message = 'is missing'): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, errorBody('token', message));
  }

  /** The key names the resource (`article`, `comment`, `profile`), as the spec's examples do. */
  static forbidden(resource: string): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, errorBody(resource, 'forbidden'));
  }

  static notFound(resource: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, errorBody(resource, 'not found'));
  }

  static conflict(field: string, message = 'has already been taken'): ApiError {
    return new ApiError(HttpStatus.CONFLICT, errorBody(field, message));
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('errors' in value)) return false;
  const errors = (value as { errors: unknown }).errors;
  return (
    typeof errors === 'object' &&
    errors !== null &&
    Object.values(errors).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'))
  );
}
