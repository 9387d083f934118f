-- The figure list (GET /v1/metrics, its CSV too) pages in the order asked: statedOn (the default), value, createdAt
-- or updatedAt, then id. Without an index in that order PostgreSQL sorted every figure to hand out the first page: at
-- a region of 500 hospitals (a million figures) an unfiltered page outlasted the 1 s statement timeout and was
-- answered 503. With these, a page is an index scan that stops after it (an incremental sort puts ties in id order,
-- which also serves the descending orders).
CREATE INDEX "metric_observation_stated_on_id_idx" ON "metric_observation" ("stated_on", "id");
CREATE INDEX "metric_observation_stated_on_desc_id_idx" ON "metric_observation" ("stated_on" DESC NULLS LAST, "id");
CREATE INDEX "metric_observation_value_id_idx" ON "metric_observation" ("value", "id");
CREATE INDEX "metric_observation_created_at_id_idx" ON "metric_observation" ("created_at", "id");
CREATE INDEX "metric_observation_updated_at_id_idx" ON "metric_observation" ("updated_at", "id");
