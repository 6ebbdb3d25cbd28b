export { createMailer } from './create-mailer';
export {
  checkEmailTemplates,
  EMAIL_TEMPLATE_FILES,
  emailChangedEmail,
  messageIdFor,
  newCommentEmail,
  newFollowerEmail,
  passwordResetEmail,
  QUOTE_LIMITS,
  truncate,
  verifyEmailEmail,
  weeklyDigestEmail,
  type AccountLinkEmailInput,
  type DigestArticle,
  type EmailChangedEmailInput,
  type NewCommentEmailInput,
  type NewFollowerEmailInput,
  type Recipient,
  type WeeklyDigestEmailInput,
} from './emails';
export { LogMailer } from './log-mailer';
export type { MailMessage, Mailer } from './mailer';
export { MailDeliveryError, redactSmtpUrl, SMTP_DEFAULTS, SmtpMailer, type SmtpMailerOptions } from './smtp-mailer';
export {
  escapeHtml,
  joinHtml,
  MailTemplates,
  renderTemplate,
  SafeHtml,
  TEMPLATES_DIR,
  TemplateError,
  type TemplateValue,
  type TemplateVars,
} from './templates';
