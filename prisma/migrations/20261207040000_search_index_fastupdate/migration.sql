-- The search indexes are updated as rows are written, not through GIN's pending list. With fast update (GIN's
-- default) new entries wait in an unordered list until a vacuum merges them, and every search reads that whole list:
-- after the 500-hospital region was loaded, all 9,835 honors were in it and a search of the honors took 6 ms instead
-- of 0.1 ms, until autovacuum came round. This API is read far more than it is written, and its bulk loads end with a
-- VACUUM, so a write pays the index update itself. The lists already there are merged now.

ALTER INDEX "unit_search_vector_idx" SET (fastupdate = off);
ALTER INDEX "unit_alias_search_vector_idx" SET (fastupdate = off);
ALTER INDEX "service_search_vector_idx" SET (fastupdate = off);
ALTER INDEX "condition_search_vector_idx" SET (fastupdate = off);
ALTER INDEX "honor_search_vector_idx" SET (fastupdate = off);
ALTER INDEX "news_article_search_vector_idx" SET (fastupdate = off);

SELECT gin_clean_pending_list(index_name::regclass)
FROM unnest(ARRAY['unit_search_vector_idx', 'unit_alias_search_vector_idx', 'service_search_vector_idx',
  'condition_search_vector_idx', 'honor_search_vector_idx', 'news_article_search_vector_idx']) AS index_name;
