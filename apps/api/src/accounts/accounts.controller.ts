/**
 * @roadmap apis.rest, auth.registration-login, security.rate-limiting
 * Look at the email-link endpoints: each takes a credential (a token from an email, or an email
 * address) and so counts against the per-address auth limit, and the reset request answers 202
 * with an empty body whatever the address, so it cannot be used to find out who has an account.
 */
import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorators';
import { AccountsService } from './accounts.service';
import { PasswordResetConfirmBody, PasswordResetRequestBody, VerifyEmailBody } from './dto/account-bodies.dto';

@ApiTags('User and Authentication')
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('users/verify-email')
  @ApiEndpoint({
    operationId: 'VerifyEmail',
    summary: 'Verify the email address with the token from the verification email',
    auth: 'none',
    success: { status: 204, description: 'The address is verified' },
    errors: [422, 429],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @RateLimit('login')
  async verifyEmail(@Body() { token }: VerifyEmailBody): Promise<void> {
    await this.accounts.verifyEmail(token);
  }

  @Post('user/verification-email')
  @ApiEndpoint({
    operationId: 'ResendVerificationEmail',
    summary: 'Send the current user a new verification email',
    auth: 'required',
    success: { status: 202, description: 'The email is on its way' },
    errors: [401, 409, 429],
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  @RateLimit('login')
  async resendVerification(@CurrentUser() user: AuthenticatedUser): Promise<Record<string, never>> {
    await this.accounts.resendVerification(user.id);
    return {};
  }

  @Post('users/password-reset')
  @ApiEndpoint({
    operationId: 'RequestPasswordReset',
    summary: 'Email a password reset link, if the address is an account’s (always 202)',
    auth: 'none',
    success: { status: 202, description: 'Accepted, whether or not an account has this address' },
    errors: [422, 429],
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimit('login')
  async requestPasswordReset(@Body() { user }: PasswordResetRequestBody): Promise<Record<string, never>> {
    await this.accounts.requestPasswordReset(user.email);
    return {};
  }

  @Post('users/password-reset/confirm')
  @ApiEndpoint({
    operationId: 'ConfirmPasswordReset',
    summary: 'Set a new password with the token from the reset email; signs out everywhere',
    auth: 'none',
    success: { status: 204, description: 'Password changed; every token and session is revoked' },
    errors: [422, 429, 503],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @RateLimit('login')
  async confirmPasswordReset(@Body() { token, password }: PasswordResetConfirmBody): Promise<void> {
    await this.accounts.confirmPasswordReset(token, password);
  }
}
