/**
 * @roadmap security.input-validation, apis.openapi
 * Look at how each body is an envelope (`{"user": {...}}`) around a nested, validated DTO whose
 * schema name matches the RealWorld spec, and how only the fields declared here can ever reach
 * the service (no `role`, no `id`).
 */
import { Field, InputType } from '@nestjs/graphql';
import { ApiSchema } from '@nestjs/swagger';
import {
  ClearableText,
  Envelope,
  OptionalText,
  RequiredText,
  Trimmed,
  type TextRules,
} from '../../common/validation/fields';
import {
  BIO_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  IMAGE_URL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_PATTERN,
} from '../user.model';

const USERNAME: TextRules = {
  max: USERNAME_MAX_LENGTH,
  pattern: { regex: USERNAME_PATTERN, message: 'may contain only letters, digits, "_" and "-"' },
  example: 'jake',
};
const EMAIL: TextRules = { max: EMAIL_MAX_LENGTH, format: 'email', example: 'jake@jake.jake' };
const PASSWORD: TextRules = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH, format: 'password' };

@ApiSchema({ name: 'NewUser' })
@InputType('RegisterInput')
export class NewUserDto {
  @Field()
  @RequiredText(USERNAME)
  username!: string;

  @Field()
  @Trimmed()
  @RequiredText(EMAIL)
  email!: string;

  @Field()
  @RequiredText(PASSWORD)
  password!: string;
}

@ApiSchema({ name: 'LoginUser' })
@InputType('LoginInput')
export class LoginUserDto {
  // Not checked as an email: a login with a malformed address simply fails like a wrong one.
  @Field()
  @Trimmed()
  @RequiredText({ max: EMAIL_MAX_LENGTH, example: 'jake@jake.jake' })
  email!: string;

  @Field()
  @RequiredText({ max: PASSWORD_MAX_LENGTH, format: 'password' })
  password!: string;
}

@ApiSchema({ name: 'UpdateUser', description: 'At least one field is required. `null` or "" clears bio or image.' })
@InputType('UpdateViewerInput', { description: 'At least one field. `null` or "" clears bio or image.' })
export class UpdateUserDto {
  @Field({ nullable: true })
  @Trimmed()
  @OptionalText(EMAIL)
  email?: string;

  @Field({ nullable: true })
  @OptionalText(USERNAME)
  username?: string;

  @Field({ nullable: true })
  @OptionalText(PASSWORD)
  password?: string;

  @Field(() => String, { nullable: true })
  @ClearableText({ max: BIO_MAX_LENGTH })
  bio?: string | null;

  @Field(() => String, { nullable: true })
  @ClearableText({ max: IMAGE_URL_MAX_LENGTH, format: 'url' })
  image?: string | null;
}

@ApiSchema({ name: 'NewUserRequest' })
export class RegisterUserBody {
  @Envelope(() => NewUserDto)
  user!: NewUserDto;
}

@ApiSchema({ name: 'LoginUserRequest' })
export class LoginUserBody {
  @Envelope(() => LoginUserDto)
  user!: LoginUserDto;
}

@ApiSchema({ name: 'UpdateUserRequest' })
export class UpdateUserBody {
  @Envelope(() => UpdateUserDto)
  user!: UpdateUserDto;
}
