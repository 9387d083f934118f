-- The change feed (GET /v1/changes) is the audit trail read in commit order. Every write this API makes records an
-- audit event in its own transaction; an event's "position" is taken from a sequence while the transaction holds the
-- lock on the data_version row, which every writer takes at its first change (the data-change triggers move the
-- counter on) and keeps until it commits. So positions are handed out in the order writers commit, not the order they
-- began: a transaction that began first but commits second gets the later positions, and a reader that has seen
-- position N will never see a position below N appear afterwards. A rolled-back transaction leaves a gap, never a
-- repeat. The lock is taken here as well, so the guarantee holds for an event written before any data row.

CREATE SEQUENCE "change_position" AS BIGINT;

ALTER TABLE "audit_event"
  ADD COLUMN "position" BIGINT,
  -- The path key the resource is addressed by (slug, code or id) and the URL of the record this change left (of its
  -- archived copy after an archive), so the feed needs no knowledge of each resource to present an event.
  ADD COLUMN "key" TEXT,
  ADD COLUMN "location" TEXT;

-- Events written before the feed existed, in the order they were written.
UPDATE "audit_event" AS a
SET "position" = ordered.n,
    "key" = COALESCE(a."after" ->> 'slug', a."after" ->> 'code', a."before" ->> 'slug', a."before" ->> 'code', a."entity_id"::text)
FROM (SELECT "id", row_number() OVER (ORDER BY "occurred_at", "id") AS n FROM "audit_event") AS ordered
WHERE a."id" = ordered."id";
SELECT setval('"change_position"', COALESCE((SELECT max("position") FROM "audit_event"), 0) + 1, false);

ALTER TABLE "audit_event" ALTER COLUMN "position" SET NOT NULL, ALTER COLUMN "key" SET NOT NULL;
CREATE UNIQUE INDEX "audit_event_position_key" ON "audit_event" ("position");
CREATE INDEX "audit_event_resource_position_idx" ON "audit_event" ("resource", "position");

CREATE FUNCTION "audit_event_position"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "data_version" WHERE "id" = 1 FOR UPDATE;
  NEW."position" := nextval('"change_position"');
  RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_event_position" BEFORE INSERT ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_position"();
