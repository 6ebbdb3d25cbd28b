/**
 * @roadmap security.input-validation, apis.rest
 * Look at how each body is an envelope (`{"user": {...}}`) with a nested, validated DTO, and how
 * only the fields declared here can ever reach the service (no `role`, no `id`).
 */
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Envelope, OptionalNotNull } from '../../common/validation-decorators';

const USERNAME = /^[A-Za-z0-9_-]+$/;
const BLANK = { message: "can't be blank" };
const TEXT = { message: 'must be a string' };

/** Emails compare case-insensitively: "Jake@Example.com" and "jake@example.com" are one account. */
const NormalizeEmail = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

class NewUser {
  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @MaxLength(40, { message: 'is too long (maximum is 40 characters)' })
  @Matches(USERNAME, { message: 'may contain only letters, digits, "_" and "-"' })
  username!: string;

  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @MaxLength(254, { message: 'is too long (maximum is 254 characters)' })
  @IsEmail({}, { message: 'is invalid' })
  @NormalizeEmail()
  email!: string;

  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @MinLength(8, { message: 'is too short (minimum is 8 characters)' })
  @MaxLength(256, { message: 'is too long (maximum is 256 characters)' })
  password!: string;
}

class LoginUser {
  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @NormalizeEmail()
  email!: string;

  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  password!: string;
}

class UpdateUser {
  @OptionalNotNull()
  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @MaxLength(254, { message: 'is too long (maximum is 254 characters)' })
  @IsEmail({}, { message: 'is invalid' })
  @NormalizeEmail()
  email?: string;

  @OptionalNotNull()
  @IsNotEmpty(BLANK)
  @IsString(TEXT)
  @MaxLength(40, { message: 'is too long (maximum is 40 characters)' })
  @Matches(USERNAME, { message: 'may contain only letters, digits, "_" and "-"' })
  username?: string;

  @OptionalNotNull()
  @IsString(TEXT)
  @MinLength(8, { message: 'is too short (minimum is 8 characters)' })
  @MaxLength(256, { message: 'is too long (maximum is 256 characters)' })
  password?: string;

  // `null` clears the bio or image, as the spec's nullable types allow.
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString(TEXT)
  @MaxLength(2000, { message: 'is too long (maximum is 2000 characters)' })
  bio?: string | null;

  @ValidateIf((_, value) => value !== null && value !== undefined && value !== '')
  @IsString(TEXT)
  @MaxLength(2000, { message: 'is too long (maximum is 2000 characters)' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  image?: string | null;
}

export class RegisterUserBody {
  @Envelope(() => NewUser)
  user!: NewUser;
}

export class LoginUserBody {
  @Envelope(() => LoginUser)
  user!: LoginUser;
}

export class UpdateUserBody {
  @Envelope(() => UpdateUser)
  user!: UpdateUser;
}
