/**
 * @roadmap design.ddd
 * Look at the user as the services see it: plain values with no password hash, no HTTP envelope
 * and no ORM type, plus the rules every transport shares (what a username may contain, how
 * emails compare).
 */

/** A signed-up user as the rest of the application may see it: never the password hash or role. */
export interface User {
  id: number;
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
}

export interface NewUser {
  username: string;
  email: string;
  password: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** Only the fields present change. `null` or `""` clears bio and image. */
export interface UserChanges {
  email?: string;
  username?: string;
  password?: string;
  bio?: string | null;
  image?: string | null;
}

export const USERNAME_MAX_LENGTH = 40;
/** Letters, digits, `_` and `-`: safe in a URL path (`/profiles/:username`) without escaping. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const EMAIL_MAX_LENGTH = 254; // RFC 5321's limit for a forward path
export const PASSWORD_MIN_LENGTH = 8;
/** Bounded so that hashing cost cannot be driven up with a megabyte-long password. */
export const PASSWORD_MAX_LENGTH = 256;
export const BIO_MAX_LENGTH = 2000;
export const IMAGE_URL_MAX_LENGTH = 2000;

/** A name that could belong to a user; anything else names nobody and needs no query. */
export function isPossibleUsername(value: string): boolean {
  return value.length <= USERNAME_MAX_LENGTH && USERNAME_PATTERN.test(value);
}

/** Emails compare case-insensitively: "Jake@Example.com" and "jake@example.com" are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An empty bio or image means "none", stored and returned as null (as the RealWorld tests expect). */
export function emptyToNull(value: string | null | undefined): string | null | undefined {
  return value === '' ? null : value;
}
