-- Authentication and authorization in depth (issue 10). See docs/auth.md and
-- docs/adr/0007-sessions-and-token-revocation.md.

-- Users: a password is optional (an account made by "Sign in with GitHub" has none until the user
-- sets one); a generation counter that a password change or "log out everywhere" increments, so
-- every JWT issued before it stops working; the SHA-256 of the one token kept through a password
-- change (the token the change was made with: RealWorld clients keep using it); suspension by an
-- admin; and when the current email address was last verified.
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;
ALTER TABLE "users" ADD COLUMN "token_generation" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "users" ADD COLUMN "kept_token_sha256" TEXT;
ALTER TABLE "users" ADD COLUMN "suspended_at" TIMESTAMP(3);
ALTER TABLE "users" ADD COLUMN "email_verified_at" TIMESTAMP(3);

-- A signed-in device (opt-in sessions): short-lived access JWTs name it (`sid`), and each of its
-- refresh tokens belongs to it. Revoking the session (logout, reuse of a rotated refresh token,
-- a password change) stops both at once: the family of refresh tokens is the session.
CREATE TABLE "auth_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" INTEGER NOT NULL,
    -- How the user signed in: "password", "oidc:<provider>".
    "method" TEXT NOT NULL,
    -- "bearer": tokens in JSON for API clients; "cookie": HttpOnly cookies for browsers (CSRF-checked).
    "transport" TEXT NOT NULL,
    "user_agent" TEXT,
    "ip" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    -- "logout", "logout-everywhere", "refresh-token-reuse", "password-change", "suspended"...
    "revoked_reason" TEXT,

    CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_sessions_transport_check" CHECK ("transport" IN ('bearer', 'cookie'))
);
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions"("user_id");
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Refresh tokens, stored as SHA-256 digests only (a leaked table signs nobody in). A token is
-- used once: refreshing stamps `used_at` and issues the next one of the same session; a token
-- presented again after that is a stolen copy (or the thief's was used first), and the whole
-- session is revoked.
CREATE TABLE "refresh_tokens" (
    "token_sha256" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("token_sha256")
);
CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens"("session_id");
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_fkey"
  FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Personal access tokens for scripts: shown once, stored as SHA-256, scoped, expiring, revocable.
CREATE TABLE "personal_access_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_sha256" TEXT NOT NULL,
    -- The first characters of the token (e.g. "cpat_AbC1"), to recognise it in a list.
    "prefix" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "personal_access_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "personal_access_tokens_token_sha256_key" ON "personal_access_tokens"("token_sha256");
CREATE INDEX "personal_access_tokens_user_id_idx" ON "personal_access_tokens"("user_id");
ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "personal_access_tokens_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Single-use, expiring links sent by email (verify an address, reset a password), stored as SHA-256.
CREATE TABLE "account_tokens" (
    "token_sha256" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    -- The address the link was sent to: verifying it verifies this address, not a later one.
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("token_sha256"),
    CONSTRAINT "account_tokens_purpose_check" CHECK ("purpose" IN ('verify-email', 'reset-password'))
);
CREATE INDEX "account_tokens_user_id_idx" ON "account_tokens"("user_id");
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Accounts at OAuth 2.0 / OpenID Connect providers linked to a user: (provider, subject) is the
-- provider's stable id for the person; an email address can change, the subject does not.
CREATE TABLE "external_identities" (
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_identities_pkey" PRIMARY KEY ("provider", "subject")
);
CREATE INDEX "external_identities_user_id_idx" ON "external_identities"("user_id");
ALTER TABLE "external_identities" ADD CONSTRAINT "external_identities_user_id_fkey"
  FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
