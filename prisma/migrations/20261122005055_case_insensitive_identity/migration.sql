-- Usernames and emails identify a person whatever their case: "Race" and "race" are one user.
-- See docs/adr/0002-case-insensitive-identity.md. Hand-written parts are marked (manual).
-- Note: Prisma's driver adapter splits migrations on semicolons, so no comment here contains one.

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "citext";

-- AlterTable: the unique index users_username_key is rebuilt with citext's comparison, so it now
-- refuses a username that differs from an existing one only in case. If two such users exist
-- already, this statement fails naming the duplicate: rename one of them, then deploy again.
ALTER TABLE "users" ALTER COLUMN "username" SET DATA TYPE CITEXT;

-- (manual) Emails are stored lower-case. The API lower-cases them before writing, rows written
-- before it did are fixed here, and the CHECK constraint refuses any other writer.
UPDATE "users" SET "email" = lower("email") WHERE "email" <> lower("email");
ALTER TABLE "users" ADD CONSTRAINT "users_email_lower_case" CHECK ("email" = lower("email"));
