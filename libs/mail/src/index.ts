export { createMailer } from './create-mailer';
export {
  checkEmailTemplates,
  EMAIL_TEMPLATE_FILES,
  messageIdFor,
  newCommentEmail,
  newFollowerEmail,
  QUOTE_LIMITS,
  truncate,
  weeklyDigestEmail,
  type DigestArticle,
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
