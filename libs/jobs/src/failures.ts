/**
 * @roadmap messaging.background-jobs
 * Look at the one decision every retry policy needs: is trying again pointless? A job for data
 * that cannot be read, or an email the server refused for good (an unknown mailbox), fails the
 * same way every time; everything else (a timeout, a server down) may pass on the next attempt.
 */
import { MailDeliveryError } from '@capstone/mail';

/** Thrown by a job that knows retrying cannot help. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export function isPermanentJobFailure(error: unknown): boolean {
  return error instanceof PermanentJobError || (error instanceof MailDeliveryError && error.permanent);
}
