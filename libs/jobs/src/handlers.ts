/**
 * @roadmap messaging.background-jobs, design.principles
 * Look at what each job does, written once as plain functions of their inputs: the worker's
 * BullMQ processors call them, and so does the API itself when it runs without Redis. Each is safe
 * to run twice: the indexer writes the article's current state, and an email is recorded as sent
 * (by a key derived from the event) so a retried job does not send it again. An account email's
 * single-use token is created by the job that sends it, stored as a digest only, and deleted
 * again if the email could not be sent.
 */
import type { Pool } from '@capstone/database';
import {
  emailChangedEmail,
  MailDeliveryError,
  newCommentEmail,
  newFollowerEmail,
  passwordResetEmail,
  verifyEmailEmail,
  weeklyDigestEmail,
  type Mailer,
  type MailMessage,
} from '@capstone/mail';
import { loadSearchDocuments, type SearchEngine } from '@capstone/search';
import { ACCOUNT_TOKEN_TTL_MS, newAccountToken, type AccountTokenPurpose } from './account-tokens';
import type { JobSpec, KeyedJob } from './queues';

export interface JobHandlerDeps {
  pool: Pool;
  search: SearchEngine;
  mailer: Mailer;
  /** Where links in emails point. */
  publicUrl: string;
  outboxRetentionDays: number;
}

/** What a job reports: shown in the queue dashboard, and follow-up jobs for fan-outs. */
export interface JobOutcome {
  result: string;
  followUps?: KeyedJob[];
}

export class JobHandlers {
  constructor(private readonly deps: JobHandlerDeps) {}

  run(job: JobSpec): Promise<JobOutcome> {
    switch (job.name) {
      case 'index-article':
        return this.indexArticle(job.data.articleId);
      case 'new-follower':
        return this.newFollower(job.data);
      case 'new-comment':
        return this.newComment(job.data);
      case 'weekly-digest':
        return this.weeklyDigest(job.data.weekOf);
      case 'digest-for-user':
        return this.digestForUser(job.data);
      case 'verify-email':
        return this.verifyEmail(job.data);
      case 'password-reset':
        return this.passwordReset(job.data);
      case 'email-changed':
        return this.emailChanged(job.data);
      case 'purge-outbox':
        return this.purgeOutbox();
      case 'no-op':
        return Promise.resolve({ result: 'nothing to do' });
    }
  }

  /** Writes the article's current state to the search engine: present, upserted; gone, removed. */
  private async indexArticle(articleId: number): Promise<JobOutcome> {
    const { search, pool } = this.deps;
    if (!search.needsIndexing) return { result: `${search.name} keeps its own index` };
    const documents = await loadSearchDocuments(pool, [articleId]);
    if (documents.length > 0) {
      await search.upsert(documents);
      return { result: `indexed article ${articleId} in ${search.name}` };
    }
    await search.remove([articleId]);
    return { result: `removed article ${articleId} from ${search.name}` };
  }

  private async newFollower(data: { eventId: string; followerId: number; followingId: number }): Promise<JobOutcome> {
    return this.deliverOnce(`new-follower:${data.eventId}`, async () => {
      const rows = await this.rows<{ follower: string; bio: string | null; email: string; username: string }>(
        // Only if they still follow: someone who unfollowed a second later is not announced.
        `SELECT f.username AS follower, f.bio, u.email, u.username
         FROM follows x JOIN users f ON f.id = x.follower_id JOIN users u ON u.id = x.following_id
         WHERE x.follower_id = $1 AND x.following_id = $2`,
        [data.followerId, data.followingId],
      );
      const [row] = rows;
      if (!row) return undefined;
      return newFollowerEmail({
        to: { email: row.email, username: row.username },
        follower: { username: row.follower, bio: row.bio ?? undefined },
        publicUrl: this.deps.publicUrl,
      });
    });
  }

  private async newComment(data: { eventId: string; commentId: number }): Promise<JobOutcome> {
    return this.deliverOnce(`new-comment:${data.eventId}`, async () => {
      const [row] = await this.rows<{
        body: string;
        commenter: string;
        commenter_id: number;
        slug: string;
        title: string;
        author_id: number;
        email: string;
        username: string;
      }>(
        `SELECT c.body, cu.username AS commenter, cu.id AS commenter_id, a.slug, a.title, a.author_id, au.email, au.username
         FROM comments c JOIN users cu ON cu.id = c.author_id JOIN articles a ON a.id = c.article_id
         JOIN users au ON au.id = a.author_id
         WHERE c.id = $1`,
        [data.commentId],
      );
      // Deleted since, or the author commenting on their own article: nobody to tell.
      if (!row || row.commenter_id === row.author_id) return undefined;
      return newCommentEmail({
        to: { email: row.email, username: row.username },
        commenter: { username: row.commenter },
        article: { slug: row.slug, title: row.title },
        comment: { id: data.commentId, body: row.body },
        publicUrl: this.deps.publicUrl,
      });
    });
  }

  /** Fans out one job per reader with something to read, so one slow mailbox delays nobody else. */
  private async weeklyDigest(weekOf: string): Promise<JobOutcome> {
    const week = weekOf || startOfWeek(new Date()).toISOString();
    const readers = await this.rows<{ id: number }>(
      `SELECT DISTINCT f.follower_id AS id FROM follows f
       JOIN articles a ON a.author_id = f.following_id
       WHERE a.created_at >= $1::timestamp - interval '7 days' AND a.created_at < $1::timestamp
       ORDER BY 1`,
      [week],
    );
    return {
      result: `${readers.length} digest(s) for the week before ${week}`,
      followUps: readers.map(({ id }) => ({
        queue: 'notifications' as const,
        name: 'digest-for-user' as const,
        data: { userId: id, weekOf: week },
        jobId: `digest-${week.slice(0, 10)}-${id}`,
      })),
    };
  }

  private async digestForUser(data: { userId: number; weekOf: string }): Promise<JobOutcome> {
    return this.deliverOnce(`digest:${data.weekOf.slice(0, 10)}:${data.userId}`, async () => {
      const [user] = await this.rows<{ email: string; username: string }>(
        'SELECT email, username FROM users WHERE id = $1',
        [data.userId],
      );
      if (!user) return undefined;
      const articles = await this.rows<{
        slug: string;
        title: string;
        description: string;
        author: string;
        created_at: Date;
      }>(
        `SELECT a.slug, a.title, a.description, u.username AS author, a.created_at AT TIME ZONE 'UTC' AS created_at
         FROM follows f JOIN articles a ON a.author_id = f.following_id JOIN users u ON u.id = a.author_id
         WHERE f.follower_id = $1 AND a.created_at >= $2::timestamp - interval '7 days' AND a.created_at < $2::timestamp
         ORDER BY a.created_at DESC LIMIT 50`,
        [data.userId, data.weekOf],
      );
      if (articles.length === 0) return undefined;
      return weeklyDigestEmail({
        to: user,
        articles: articles.map((a) => ({ ...a, createdAt: a.created_at })),
        // The digest names the first day it covers: the seven days before `weekOf`.
        weekOf: new Date(new Date(data.weekOf).getTime() - 7 * 24 * 60 * 60 * 1000),
        publicUrl: this.deps.publicUrl,
      });
    });
  }

  /** A link to verify the address the account has now (none if it is verified already). */
  private async verifyEmail(data: { eventId: string; userId: number }): Promise<JobOutcome> {
    return this.deliverTokenOnce(`verify-email:${data.eventId}`, 'verify-email', data.userId, async () => {
      const [user] = await this.rows<{ email: string; username: string; verified: boolean }>(
        'SELECT email, username, email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1',
        [data.userId],
      );
      if (!user || user.verified) return undefined;
      return {
        to: user,
        compose: (token) =>
          verifyEmailEmail({
            to: user,
            token,
            validForHours: hoursOf('verify-email'),
            requestId: data.eventId,
            publicUrl: this.deps.publicUrl,
          }),
      };
    });
  }

  /** A link to choose a new password, sent to the account's current address. */
  private async passwordReset(data: { eventId: string; userId: number }): Promise<JobOutcome> {
    return this.deliverTokenOnce(`password-reset:${data.eventId}`, 'reset-password', data.userId, async () => {
      // A suspended account stays suspended whatever its password: nothing to reset.
      const [user] = await this.rows<{ email: string; username: string }>(
        'SELECT email, username FROM users WHERE id = $1 AND suspended_at IS NULL',
        [data.userId],
      );
      if (!user) return undefined;
      return {
        to: user,
        compose: (token) =>
          passwordResetEmail({
            to: user,
            token,
            validForHours: hoursOf('reset-password'),
            requestId: data.eventId,
            publicUrl: this.deps.publicUrl,
          }),
      };
    });
  }

  /** Tells the previous address of the change (the new one gets its own verification job). */
  private async emailChanged(data: {
    eventId: string;
    userId: number;
    previousEmail: string;
    newEmail: string;
  }): Promise<JobOutcome> {
    const key = `email-changed:${data.eventId}`;
    try {
      return await this.deliverOnce(key, async () => {
        const [user] = await this.rows<{ username: string }>('SELECT username FROM users WHERE id = $1', [data.userId]);
        if (!user) return undefined;
        return emailChangedEmail({
          to: { email: data.newEmail, username: user.username },
          previousEmail: data.previousEmail,
          newEmail: data.newEmail,
          requestId: data.eventId,
          publicUrl: this.deps.publicUrl,
        });
      });
    } catch (error) {
      // An old address refused for good is often why it was changed: nothing more to do, and
      // the new address's verification (the same event, next job in-process) must not wait on it.
      if (error instanceof MailDeliveryError && error.permanent) {
        return { result: `${key}: ${data.previousEmail} refused it for good (${error.message})` };
      }
      throw error;
    }
  }

  private async purgeOutbox(): Promise<JobOutcome> {
    const result = await this.deps.pool.query(
      `DELETE FROM outbox_events WHERE sent_at < now() - make_interval(days => $1)`,
      [this.deps.outboxRetentionDays],
    );
    return { result: `purged ${result.rowCount ?? 0} sent outbox event(s)` };
  }

  /**
   * Sends at most once per key: skipped if a delivery is recorded, recorded after the server
   * accepted the message. A crash between the two sends it again on retry, with the same
   * Message-ID, so a mail client can tell it is the same message.
   */
  private async deliverOnce(key: string, compose: () => Promise<MailMessage | undefined>): Promise<JobOutcome> {
    const done = await this.rows('SELECT 1 FROM notification_deliveries WHERE key = $1', [key]);
    if (done.length > 0) return { result: `${key}: already sent` };
    const message = await compose();
    if (!message) return { result: `${key}: nothing to send` };
    await this.deps.mailer.send(message);
    // The email is out: a record lost now means the same email again when the job is retried. So
    // the record gets a few seconds of retries of its own, enough to ride out a database restart
    // or failover (found by `pnpm soak`, which restarts Postgres with emails in flight).
    await persist(() =>
      this.deps.pool.query('INSERT INTO notification_deliveries (key) VALUES ($1) ON CONFLICT DO NOTHING', [key]),
    );
    return { result: `${key}: sent to ${message.to}` };
  }

  /**
   * deliverOnce for an email carrying a new single-use token: the token's digest is stored (bound
   * to the address it is sent to) before sending, and deleted if sending fails, so a retried job
   * leaves no working token behind that nobody received. The raw token lives only in the email.
   */
  private async deliverTokenOnce(
    key: string,
    purpose: AccountTokenPurpose,
    userId: number,
    prepare: () => Promise<{ to: { email: string }; compose: (token: string) => MailMessage } | undefined>,
  ): Promise<JobOutcome> {
    let issued: string | undefined;
    try {
      return await this.deliverOnce(key, async () => {
        const plan = await prepare();
        if (!plan) return undefined;
        const { token, sha256 } = newAccountToken();
        await this.deps.pool.query(
          `INSERT INTO account_tokens (token_sha256, user_id, purpose, email, expires_at)
           VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8 / 1000))`,
          [sha256, userId, purpose, plan.to.email, ACCOUNT_TOKEN_TTL_MS[purpose]],
        );
        issued = sha256;
        return plan.compose(token);
      });
    } catch (error) {
      if (issued) {
        await this.deps.pool
          .query('DELETE FROM account_tokens WHERE token_sha256 = $1', [issued])
          .catch(() => undefined);
      }
      throw error;
    }
  }

  private async rows<Row extends object>(text: string, values: unknown[]): Promise<Row[]> {
    return (await this.deps.pool.query(text, values)).rows as Row[];
  }
}

/** Delays between the tries of `persist`: about 7 s in all. */
const PERSIST_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 2000, 2000];

/** Runs `write` until it succeeds, retrying with the delays above; the last failure is thrown. */
async function persist<T>(write: () => Promise<T>): Promise<T> {
  for (const delay of PERSIST_RETRY_DELAYS_MS) {
    try {
      return await write();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return write();
}

function hoursOf(purpose: AccountTokenPurpose): number {
  return ACCOUNT_TOKEN_TTL_MS[purpose] / (60 * 60 * 1000);
}

/** Monday 00:00 UTC of the week `date` falls in: the digest covers the seven days before it. */
export function startOfWeek(date: Date): Date {
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day));
}
