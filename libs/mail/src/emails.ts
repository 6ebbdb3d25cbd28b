/**
 * @roadmap messaging.background-jobs, security.xss, auth.registration-login
 * Look at the notification and account emails as pure functions: plain data in (the worker queries it),
 * a rendered MailMessage out, with no database, clock or network. Each message gets a Message-ID
 * derived from who it is for and what it is about, so a job that runs twice (delivery is at least
 * once) sends a message the receiving side can recognise as the same one.
 */
import type { MailMessage } from './mailer';
import { joinHtml, MailTemplates, SafeHtml } from './templates';

/** Every file in libs/mail/templates that the emails below render. */
export const EMAIL_TEMPLATE_FILES = [
  'new-follower.subject.txt',
  'new-follower.txt',
  'new-follower.html',
  'new-follower.bio.txt',
  'new-follower.bio.html',
  'new-comment.subject.txt',
  'new-comment.txt',
  'new-comment.html',
  'weekly-digest.subject.txt',
  'weekly-digest.txt',
  'weekly-digest.html',
  'weekly-digest.article.txt',
  'weekly-digest.article.html',
  'verify-email.subject.txt',
  'verify-email.txt',
  'verify-email.html',
  'password-reset.subject.txt',
  'password-reset.txt',
  'password-reset.html',
  'email-changed.subject.txt',
  'email-changed.txt',
  'email-changed.html',
] as const;

/** How much user-written text an email quotes; the link leads to the rest. In characters. */
export const QUOTE_LIMITS = {
  comment: 500,
  bio: 300,
  description: 300,
  /** An article title inside a subject line (titles may be 200 characters long). */
  subjectTitle: 100,
} as const;

/** Automatic messages say so (RFC 3834), so out-of-office replies are not sent back to them. */
const NOTIFICATION_HEADERS = { 'Auto-Submitted': 'auto-generated' } as const;

export interface Recipient {
  email: string;
  username: string;
}

export interface NewFollowerEmailInput {
  to: Recipient;
  follower: { username: string; bio?: string | null };
  /** `config.publicUrl`, e.g. `https://conduit.example.com`: every link starts with it. */
  publicUrl: string;
}

export interface NewCommentEmailInput {
  /** The article's author. */
  to: Recipient;
  commenter: { username: string };
  article: { slug: string; title: string };
  comment: { id: number | string; body: string };
  publicUrl: string;
}

export interface DigestArticle {
  slug: string;
  title: string;
  description: string;
  /** The author's username. */
  author: string;
  createdAt: Date;
}

export interface WeeklyDigestEmailInput {
  to: Recipient;
  /** Newest first, as the worker queried them; at least one (no digest is sent for an empty week). */
  articles: readonly DigestArticle[];
  /** The first day of the week the digest covers; its date (UTC) names the digest. */
  weekOf: Date;
  publicUrl: string;
}

/** A single-use link to an account action: the raw token is in this email and nowhere else. */
export interface AccountLinkEmailInput {
  /** The address the link is for: the token is bound to it. */
  to: Recipient;
  /** The raw token (its SHA-256 is what the database stores). */
  token: string;
  /** How long the link works, in whole hours (said in the email). */
  validForHours: number;
  /** What this email answers (the outbox event's id): names its Message-ID. */
  requestId: string;
  publicUrl: string;
}

export interface EmailChangedEmailInput {
  /** The account as it is now; the email goes to `previousEmail`, not to `to.email`. */
  to: Recipient;
  previousEmail: string;
  newEmail: string;
  requestId: string;
  publicUrl: string;
}

/** The templates every process uses: read from libs/mail/templates on first use. */
const defaultTemplates = new MailTemplates();

/**
 * Reads and checks every template file now. Call it at start-up in a process that sends mail:
 * a deployment without libs/mail/templates (next to libs/mail/dist) fails there, with the path it
 * looked in, rather than on its first notification.
 */
export function checkEmailTemplates(): void {
  defaultTemplates.preload(EMAIL_TEMPLATE_FILES);
}

/** Someone started following `to`. */
export function newFollowerEmail(
  input: NewFollowerEmailInput,
  templates: MailTemplates = defaultTemplates,
): MailMessage {
  const links = linksFor(input.publicUrl);
  const bio = oneLine(input.follower.bio ?? '');
  const shared = {
    username: input.to.username,
    followerUsername: input.follower.username,
    followerUrl: links.profile(input.follower.username),
    publicUrl: links.home,
    settingsUrl: links.settings,
  };
  const quotedBio = truncate(bio, QUOTE_LIMITS.bio);
  return {
    to: input.to.email,
    subject: templates.subject('new-follower.subject.txt', shared),
    text: templates.text('new-follower.txt', {
      ...shared,
      bio: bio ? templates.text('new-follower.bio.txt', { bio: quotedBio }) : '',
    }),
    html: templates.html('new-follower.html', {
      ...shared,
      bio: bio ? templates.html('new-follower.bio.html', { bio: quotedBio }) : SafeHtml.EMPTY,
    }).html,
    messageId: messageIdFor('new-follower', [input.follower.username, input.to.username], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/** Someone commented on an article `to` wrote. */
export function newCommentEmail(input: NewCommentEmailInput, templates: MailTemplates = defaultTemplates): MailMessage {
  const links = linksFor(input.publicUrl);
  const comment = truncate(input.comment.body.replace(/\r\n?/g, '\n').trim(), QUOTE_LIMITS.comment);
  const vars = {
    username: input.to.username,
    commenterUsername: input.commenter.username,
    commenterUrl: links.profile(input.commenter.username),
    articleTitle: input.article.title,
    shortTitle: truncate(oneLine(input.article.title), QUOTE_LIMITS.subjectTitle),
    // RealWorld frontends show an article's comments under it: the article is the link.
    articleUrl: links.article(input.article.slug),
    publicUrl: links.home,
    settingsUrl: links.settings,
  };
  return {
    to: input.to.email,
    subject: templates.subject('new-comment.subject.txt', vars),
    text: templates.text('new-comment.txt', { ...vars, quotedComment: quote(comment) }),
    html: templates.html('new-comment.html', { ...vars, comment }).html,
    messageId: messageIdFor('new-comment', [String(input.comment.id), input.to.username], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/** The articles the authors `to` follows published in the week of `weekOf`. */
export function weeklyDigestEmail(
  input: WeeklyDigestEmailInput,
  templates: MailTemplates = defaultTemplates,
): MailMessage {
  if (input.articles.length === 0) {
    throw new RangeError('weeklyDigestEmail: no articles; skip the digest for an empty week instead');
  }
  const links = linksFor(input.publicUrl);
  const weekOf = isoDate(input.weekOf);
  const items = input.articles.map((article) => ({
    title: article.title,
    author: article.author,
    authorUrl: links.profile(article.author),
    date: isoDate(article.createdAt),
    description: truncate(oneLine(article.description), QUOTE_LIMITS.description),
    articleUrl: links.article(article.slug),
  }));
  const count = input.articles.length;
  const vars = {
    username: input.to.username,
    weekOf,
    articleCount: count === 1 ? '1 new article' : `${count} new articles`,
    publicUrl: links.home,
    settingsUrl: links.settings,
  };
  return {
    to: input.to.email,
    subject: templates.subject('weekly-digest.subject.txt', vars),
    text: templates.text('weekly-digest.txt', {
      ...vars,
      articles: items.map((item) => templates.text('weekly-digest.article.txt', item)).join('\n\n'),
    }),
    html: templates.html('weekly-digest.html', {
      ...vars,
      articles: joinHtml(
        items.map((item) => templates.html('weekly-digest.article.html', item)),
        '\n',
      ),
    }).html,
    messageId: messageIdFor('weekly-digest', [input.to.username, weekOf], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/** Asks `to` to confirm their address: `${publicUrl}/verify-email?token=…`, and the token as a code. */
export function verifyEmailEmail(
  input: AccountLinkEmailInput,
  templates: MailTemplates = defaultTemplates,
): MailMessage {
  const links = linksFor(input.publicUrl);
  const vars = {
    username: input.to.username,
    email: input.to.email,
    token: input.token,
    validFor: hours(input.validForHours),
    verifyUrl: links.withToken('verify-email', input.token),
    publicUrl: links.home,
  };
  return {
    to: input.to.email,
    subject: templates.subject('verify-email.subject.txt', vars),
    text: templates.text('verify-email.txt', vars),
    html: templates.html('verify-email.html', vars).html,
    messageId: messageIdFor('verify-email', [input.requestId, input.to.username], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/** A link to choose a new password: `${publicUrl}/reset-password?token=…`, and the token as a code. */
export function passwordResetEmail(
  input: AccountLinkEmailInput,
  templates: MailTemplates = defaultTemplates,
): MailMessage {
  const links = linksFor(input.publicUrl);
  const vars = {
    username: input.to.username,
    token: input.token,
    validFor: hours(input.validForHours),
    resetUrl: links.withToken('reset-password', input.token),
    publicUrl: links.home,
  };
  return {
    to: input.to.email,
    subject: templates.subject('password-reset.subject.txt', vars),
    text: templates.text('password-reset.txt', vars),
    html: templates.html('password-reset.html', vars).html,
    messageId: messageIdFor('password-reset', [input.requestId, input.to.username], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/**
 * Tells the address an account had before that it was replaced: if the owner did not make the
 * change, this is how they learn of it (the new address belongs to whoever made it).
 */
export function emailChangedEmail(
  input: EmailChangedEmailInput,
  templates: MailTemplates = defaultTemplates,
): MailMessage {
  const links = linksFor(input.publicUrl);
  const vars = {
    username: input.to.username,
    previousEmail: input.previousEmail,
    newEmail: input.newEmail,
    settingsUrl: links.settings,
    publicUrl: links.home,
  };
  return {
    to: input.previousEmail,
    subject: templates.subject('email-changed.subject.txt', vars),
    text: templates.text('email-changed.txt', vars),
    html: templates.html('email-changed.html', vars).html,
    messageId: messageIdFor('email-changed', [input.requestId, input.to.username], links.host),
    headers: { ...NOTIFICATION_HEADERS },
  };
}

/** `1 hour`, `24 hours`. */
function hours(count: number): string {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`invalid link lifetime: ${count} hours`);
  return count === 1 ? '1 hour' : `${count} hours`;
}

/**
 * Links as the RealWorld frontends route them (`/article/:slug`, `/profile/:username`,
 * `/settings`, all path-based). Each path segment is percent-encoded, and `publicUrl` comes from
 * the configuration (http or https only), so no value can turn a link into `javascript:`.
 */
function linksFor(publicUrl: string) {
  const home = publicUrl.replace(/\/+$/, '');
  return {
    home,
    /** The host the app is reached at: the right-hand side of every Message-ID. */
    host: new URL(home).hostname,
    settings: `${home}/settings`,
    article: (slug: string) => `${home}/article/${encodeURIComponent(slug)}`,
    profile: (username: string) => `${home}/profile/${encodeURIComponent(username)}`,
    /** A frontend page that reads `?token=` and posts it to the API. */
    withToken: (page: 'verify-email' | 'reset-password', token: string) =>
      `${home}/${page}?token=${encodeURIComponent(token)}`,
  };
}

/**
 * `<kind.part.part@host>`, e.g. `<new-follower.alice.bob@conduit.example.com>`: the same inputs
 * always give the same Message-ID. Usernames and slugs are letters, digits, `_` and `-` and stay
 * readable; any other character becomes `=XX` per UTF-8 byte (`=` itself too), so the ID is
 * always valid (RFC 5322 `dot-atom`) and two different parts never give the same ID.
 */
export function messageIdFor(kind: string, parts: readonly string[], host: string): string {
  const encode = (part: string) =>
    Array.from(Buffer.from(part, 'utf8'), (byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }).join('');
  return `<${[kind, ...parts].map(encode).join('.')}@${host}>`;
}

/** At most `max` characters (whole code points, never half an emoji), with `…` when cut. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** Each line prefixed with `> `, the way mail clients quote (a blank line is a bare `>`). */
function quote(text: string): string {
  return text.replace(/^/gm, '> ').replace(/^> $/gm, '>');
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** `2025-01-06`: the same in every locale and time zone. */
function isoDate(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('invalid date in an email');
  return value.toISOString().slice(0, 10);
}
