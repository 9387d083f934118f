-- Full-text search (GET /v1/search) over stored vectors. Each searched table keeps its document as a tsvector that
-- PostgreSQL computes on every insert and update (a generated column: no trigger to forget, and writes through
-- Prisma, raw SQL or psql all keep it right), weighted so that ranking can tell where a word was found: names and
-- titles A, summaries, descriptions and focus B, bodies and issuers C. The search ranks with ts_rank over these
-- columns instead of rebuilding each match's vector from its text, and a GIN index on each finds the matches.
-- The expression indexes of 20261123070000_search_indexes are replaced.

DROP INDEX "unit_search_idx";
DROP INDEX "unit_alias_search_idx";
DROP INDEX "service_search_idx";
DROP INDEX "condition_search_idx";
DROP INDEX "honor_search_idx";
DROP INDEX "news_article_search_idx";

ALTER TABLE "unit" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', coalesce("summary", '')), 'B') ||
  setweight(to_tsvector('english', coalesce("focus", '')), 'B')
) STORED;
CREATE INDEX "unit_search_vector_idx" ON "unit" USING GIN ("search_vector");

ALTER TABLE "unit_alias" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A')
) STORED;
CREATE INDEX "unit_alias_search_vector_idx" ON "unit_alias" USING GIN ("search_vector");

ALTER TABLE "service" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'B')
) STORED;
CREATE INDEX "service_search_vector_idx" ON "service" USING GIN ("search_vector");

ALTER TABLE "condition" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A')
) STORED;
CREATE INDEX "condition_search_vector_idx" ON "condition" USING GIN ("search_vector");

ALTER TABLE "honor" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "title"), 'A') ||
  setweight(to_tsvector('english', coalesce("issuer", '')), 'C')
) STORED;
CREATE INDEX "honor_search_vector_idx" ON "honor" USING GIN ("search_vector");

ALTER TABLE "news_article" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "title"), 'A') ||
  setweight(to_tsvector('english', coalesce("summary", '')), 'B') ||
  setweight(to_tsvector('english', "body"), 'C')
) STORED;
CREATE INDEX "news_article_search_vector_idx" ON "news_article" USING GIN ("search_vector");
