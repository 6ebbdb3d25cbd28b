/**
 * @roadmap security.input-validation, auth.sessions
 * Look at the sign-in body (the RealWorld login envelope plus an optional transport) and at the
 * refresh body, which may be left out entirely: a browser's refresh token is in a cookie.
 */
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, Matches, ValidateIf } from 'class-validator';
import { InvalidInputError } from '../../common/errors/domain-errors';
import { Envelope, OptionalText } from '../../common/validation/fields';
import { MESSAGES } from '../../common/validation/messages';
import { LoginUserDto } from '../../users/dto/user-bodies.dto';
import { SESSION_TRANSPORTS, type SessionTransport } from '../sessions.service';

/** A refresh token is 43 characters; anything much longer is not one of ours. */
const REFRESH_TOKEN_MAX_LENGTH = 200;
const TRANSPORT_PATTERN = new RegExp(`^(?:${SESSION_TRANSPORTS.join('|')})$`);
const TRANSPORT_MESSAGE = `must be one of: ${SESSION_TRANSPORTS.join(', ')}`;

@ApiSchema({ name: 'NewSessionRequest' })
export class StartSessionBody {
  @Envelope(() => LoginUserDto)
  user!: LoginUserDto;

  @ApiPropertyOptional({
    type: 'string',
    enum: SESSION_TRANSPORTS,
    // Stated as a pattern too: the rule that runs is a `Matches` (the document states every rule).
    pattern: TRANSPORT_PATTERN.source,
    default: 'bearer',
    description:
      'bearer: tokens in the JSON answer (API clients); cookie: HttpOnly cookies and a CSRF token (browsers).',
  })
  @ValidateIf((_object, value) => value !== undefined)
  @IsString({ message: TRANSPORT_MESSAGE })
  @Matches(TRANSPORT_PATTERN, { message: TRANSPORT_MESSAGE })
  transport?: SessionTransport;
}

/** For the OpenAPI document only: the refresh body is read by `refreshTokenIn` (it may be absent). */
@ApiSchema({ name: 'RefreshSessionRequest' })
export class RefreshSessionBody {
  @OptionalText({
    max: REFRESH_TOKEN_MAX_LENGTH,
    description: 'The refresh token of a bearer session. Left out: the refresh cookie is used.',
  })
  refreshToken?: string;
}

/**
 * The refresh token sent in a refresh body, undefined when none was sent (no body, or `{}`), and
 * a 422 naming the field for anything else: the same answers the validation pipe would give.
 */
export function refreshTokenIn(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidInputError({ body: [MESSAGES.notJsonObject] });
  const { refreshToken, ...others } = body as { refreshToken?: unknown };
  const unknown = Object.keys(others);
  if (unknown.length > 0) {
    throw new InvalidInputError(Object.fromEntries(unknown.map((key) => [key, [MESSAGES.notAllowed]])));
  }
  if (refreshToken === undefined) return undefined;
  if (typeof refreshToken !== 'string') throw new InvalidInputError({ refreshToken: [MESSAGES.notString] });
  if (refreshToken.trim() === '') throw new InvalidInputError({ refreshToken: [MESSAGES.blank] });
  if (refreshToken.length > REFRESH_TOKEN_MAX_LENGTH) {
    throw new InvalidInputError({ refreshToken: [MESSAGES.tooLong(REFRESH_TOKEN_MAX_LENGTH)] });
  }
  return refreshToken;
}
