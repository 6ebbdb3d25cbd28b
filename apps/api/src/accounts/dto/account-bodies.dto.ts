/**
 * @roadmap security.input-validation, auth.registration-login
 * Look at the bodies of the email-link endpoints: a token of bounded length, and a new password
 * held to exactly the length rules registration uses (the same constants).
 */
import { ApiSchema } from '@nestjs/swagger';
import { Envelope, RequiredText, Trimmed } from '../../common/validation/fields';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/user.model';

/** The tokens sent are 43 characters; anything much longer is not one of ours. */
const TOKEN = { max: 128, description: 'The code from the email (also the `token` in its link)' };

@ApiSchema({ name: 'VerifyEmailRequest' })
export class VerifyEmailBody {
  @Trimmed()
  @RequiredText(TOKEN)
  token!: string;
}

@ApiSchema({ name: 'PasswordResetUser' })
export class PasswordResetUserDto {
  @Trimmed()
  @RequiredText({ max: EMAIL_MAX_LENGTH, format: 'email', example: 'jake@jake.jake' })
  email!: string;
}

@ApiSchema({ name: 'PasswordResetRequest' })
export class PasswordResetRequestBody {
  @Envelope(() => PasswordResetUserDto)
  user!: PasswordResetUserDto;
}

@ApiSchema({ name: 'PasswordResetConfirmRequest' })
export class PasswordResetConfirmBody {
  @Trimmed()
  @RequiredText(TOKEN)
  token!: string;

  // The same rules as NewUser.password (apps/api/src/users/dto/user-bodies.dto.ts).
  @RequiredText({ min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH, format: 'password' })
  password!: string;
}
