-- Full-text search (GET /v1/search). Expression indexes: Prisma's schema language cannot describe them, and
-- src/plugins/app/search/search-repository.ts must use exactly these expressions for PostgreSQL to use them.

-- CreateIndex
CREATE INDEX "unit_search_idx" ON "unit" USING GIN (to_tsvector('english', "name" || ' ' || coalesce("summary", '') || ' ' || coalesce("focus", '')));

-- CreateIndex
CREATE INDEX "unit_alias_search_idx" ON "unit_alias" USING GIN (to_tsvector('english', "name"));

-- CreateIndex
CREATE INDEX "service_search_idx" ON "service" USING GIN (to_tsvector('english', "name" || ' ' || coalesce("description", '')));

-- CreateIndex
CREATE INDEX "condition_search_idx" ON "condition" USING GIN (to_tsvector('english', "name"));

-- CreateIndex
CREATE INDEX "honor_search_idx" ON "honor" USING GIN (to_tsvector('english', "title" || ' ' || coalesce("issuer", '')));

-- CreateIndex
CREATE INDEX "news_article_search_idx" ON "news_article" USING GIN (to_tsvector('english', "title" || ' ' || coalesce("summary", '') || ' ' || "body"));
