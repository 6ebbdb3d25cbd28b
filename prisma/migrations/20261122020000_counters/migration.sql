-- Counters kept by the database itself, so that no list request counts rows (issue 7). Written by
-- hand: Prisma's schema language has no triggers. See docs/adr/0004-counters-for-fast-lists.md.
-- Each trigger is statement-level with a transition table: one UPDATE per statement, whether it
-- inserts one favorite or a seed inserts fifty thousand.

-- AlterTable
ALTER TABLE "articles" ADD COLUMN     "favorites_count" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "tags" ADD COLUMN     "articles_count" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "articles_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "favorites_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "site_counters" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "articles_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "site_counters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tags_articles_count_id_idx" ON "tags"("articles_count" DESC, "id" DESC);

-- (manual) One row only.
ALTER TABLE "site_counters" ADD CONSTRAINT "site_counters_single_row" CHECK ("id" = 1);
INSERT INTO "site_counters" ("id", "articles_count") VALUES (1, 0);

-- (manual) Favorites count per article (favoritesCount) and per user (the favorited=... list).
CREATE FUNCTION "count_favorites"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  UPDATE "articles" a SET "favorites_count" = a."favorites_count" + sign * d.n
    FROM (SELECT "article_id", count(*) AS n FROM changed GROUP BY "article_id") d WHERE a."id" = d."article_id";
  UPDATE "users" u SET "favorites_count" = u."favorites_count" + sign * d.n
    FROM (SELECT "user_id", count(*) AS n FROM changed GROUP BY "user_id") d WHERE u."id" = d."user_id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "favorites_counted_on_insert" AFTER INSERT ON "favorites"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_favorites"();
CREATE TRIGGER "favorites_counted_on_delete" AFTER DELETE ON "favorites"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_favorites"();

-- (manual) Articles per author (the author=... list) and in total (the unfiltered list).
CREATE FUNCTION "count_articles"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  UPDATE "users" u SET "articles_count" = u."articles_count" + sign * d.n
    FROM (SELECT "author_id", count(*) AS n FROM changed GROUP BY "author_id") d WHERE u."id" = d."author_id";
  UPDATE "site_counters" SET "articles_count" = "articles_count" + sign * (SELECT count(*) FROM changed)
    WHERE "id" = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER "articles_counted_on_insert" AFTER INSERT ON "articles"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_articles"();
CREATE TRIGGER "articles_counted_on_delete" AFTER DELETE ON "articles"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_articles"();

-- (manual) Articles per tag (the tag=... list, and the order of GET /tags).
CREATE FUNCTION "count_tagged_articles"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  UPDATE "tags" t SET "articles_count" = t."articles_count" + sign * d.n
    FROM (SELECT "tag_id", count(*) AS n FROM changed GROUP BY "tag_id") d WHERE t."id" = d."tag_id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "article_tags_counted_on_insert" AFTER INSERT ON "article_tags"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_tagged_articles"();
CREATE TRIGGER "article_tags_counted_on_delete" AFTER DELETE ON "article_tags"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "count_tagged_articles"();

-- (manual) The counters of the rows that exist already.
UPDATE "articles" a SET "favorites_count" = (SELECT count(*) FROM "favorites" f WHERE f."article_id" = a."id");
UPDATE "users" u SET
  "articles_count" = (SELECT count(*) FROM "articles" a WHERE a."author_id" = u."id"),
  "favorites_count" = (SELECT count(*) FROM "favorites" f WHERE f."user_id" = u."id");
UPDATE "tags" t SET "articles_count" = (SELECT count(*) FROM "article_tags" x WHERE x."tag_id" = t."id");
UPDATE "site_counters" SET "articles_count" = (SELECT count(*) FROM "articles") WHERE "id" = 1;
