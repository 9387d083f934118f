-- The change feed filtered by hospital (GET /v1/changes?hospital=…): each audit event keeps the hospitals its record
-- belonged to when it was written (a unit's, a figure's unit's, a source's…; none for regions and for the reference
-- data every hospital shares), so an archive, whose record is gone, still says whose it was.

ALTER TABLE "audit_event" ADD COLUMN "hospital_ids" UUID[] NOT NULL DEFAULT '{}';

-- Events written before: from where their records stand now (a record archived since belongs to no hospital here).
UPDATE "audit_event" AS a SET "hospital_ids" = ARRAY(
  SELECT DISTINCT owner.hospital_id FROM (
    SELECT a."entity_id" WHERE a."resource" = 'hospitals' AND EXISTS (SELECT 1 FROM "hospital" h WHERE h."id" = a."entity_id")
    UNION ALL SELECT u."hospital_id" FROM "unit" u WHERE a."resource" = 'departments' AND u."id" = a."entity_id"
    UNION ALL SELECT u."hospital_id" FROM "metric_observation" o JOIN "unit" u ON u."id" = o."unit_id" WHERE a."resource" = 'metrics' AND o."id" = a."entity_id"
    UNION ALL SELECT h."hospital_id" FROM "honor" h WHERE a."resource" = 'honors' AND h."id" = a."entity_id"
    UNION ALL SELECT u."hospital_id" FROM "service" s JOIN "unit" u ON u."id" = s."unit_id" WHERE a."resource" = 'services' AND s."id" = a."entity_id"
    UNION ALL SELECT u."hospital_id" FROM "unit_condition" c JOIN "unit" u ON u."id" = c."unit_id" WHERE a."resource" = 'condition-links' AND c."id" = a."entity_id"
    UNION ALL SELECT e."hospital_id" FROM "event" e WHERE a."resource" = 'events' AND e."id" = a."entity_id"
    UNION ALL SELECT n."hospital_id" FROM "news_article" n WHERE a."resource" = 'news' AND n."id" = a."entity_id"
    UNION ALL SELECT d."hospital_id" FROM "source_document" d WHERE a."resource" = 'sources' AND d."id" = a."entity_id"
    UNION ALL SELECT u."hospital_id" FROM "unit_alias" x JOIN "unit" u ON u."id" = x."unit_id" WHERE a."resource" = 'department-aliases' AND x."id" = a."entity_id"
    UNION ALL SELECT d."hospital_id" FROM "extraction_candidate" c JOIN "source_document" d ON d."id" = c."source_id" WHERE a."resource" = 'candidates' AND c."id" = a."entity_id"
  ) AS owner(hospital_id)
  WHERE owner.hospital_id IS NOT NULL);

-- Each committed write also notifies "audit_event" on the data-change channel: what a follower of the feed (an event
-- stream) waits for, once per write, instead of waking for every table the write touched.
CREATE TRIGGER "audit_event_data_change" AFTER INSERT ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
