-- Full-text search kept by the database itself (issue 8): every article carries a weighted
-- tsvector of its title (A), tags and description (B) and body (C), maintained by triggers, so
-- every writer (the API, a seed, a script) keeps it right in the same transaction, and a GIN
-- index finds the matches. See docs/search.md. Written by hand: Prisma's schema language has no
-- triggers (the column and the index are also declared in schema.prisma, so there is no drift).

-- AlterTable
ALTER TABLE "articles" ADD COLUMN     "search_vector" tsvector;

-- CreateIndex
CREATE INDEX "articles_search_vector_idx" ON "articles" USING GIN ("search_vector");

-- (manual) The searchable document of one article. 'english': stems ("running" finds "run") and
-- drops stop words ("the"). Tags are read in the author's order from article_tags.
CREATE FUNCTION "article_search_vector"(article_id integer, title text, description text, body text)
  RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
      || setweight(to_tsvector('english'::regconfig, coalesce(
           (SELECT string_agg(t."name", ' ' ORDER BY x."position")
            FROM "article_tags" x JOIN "tags" t ON t."id" = x."tag_id"
            WHERE x."article_id" = $1), '')), 'B')
      || setweight(to_tsvector('english'::regconfig, description), 'B')
      || setweight(to_tsvector('english'::regconfig, body), 'C')
$$;

-- (manual) A new article, or a changed title, description or body: the row's vector, before it is
-- written. (An UPDATE that sets none of the three, such as a favorites count, does not fire it.)
CREATE FUNCTION "articles_search_vector_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search_vector" := "article_search_vector"(NEW."id", NEW."title", NEW."description", NEW."body");
  RETURN NEW;
END
$$;
CREATE TRIGGER "articles_searchable" BEFORE INSERT OR UPDATE OF "title", "description", "body" ON "articles"
  FOR EACH ROW EXECUTE FUNCTION "articles_search_vector_refresh"();

-- (manual) Tags added or removed: the vectors of the articles concerned, one UPDATE per statement
-- (statement-level with a transition table, like the counters: a seed inserting fifty thousand
-- tag links updates each article once).
CREATE FUNCTION "article_tags_search_vector_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "articles" a
     SET "search_vector" = "article_search_vector"(a."id", a."title", a."description", a."body")
   WHERE a."id" IN (SELECT DISTINCT "article_id" FROM changed);
  RETURN NULL;
END
$$;
CREATE TRIGGER "article_tags_searchable_on_insert" AFTER INSERT ON "article_tags"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "article_tags_search_vector_refresh"();
CREATE TRIGGER "article_tags_searchable_on_delete" AFTER DELETE ON "article_tags"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "article_tags_search_vector_refresh"();

-- (manual) The articles that exist already.
UPDATE "articles" SET "search_vector" = "article_search_vector"("id", "title", "description", "body");
