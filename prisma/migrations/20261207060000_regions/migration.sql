-- Regions: the administrative areas hospitals belong to (country → province, autonomous region or municipality →
-- prefecture → district or county), with what a bureau compares hospitals by (grade, type, ownership). An API key may
-- be scoped to a region. Hospitals get aliases like units have, so a renamed slug keeps answering (301).

CREATE TYPE "RegionLevel" AS ENUM ('country', 'province', 'autonomous_region', 'municipality', 'prefecture', 'district', 'county');

-- `path` is the materialised path of ids from the top ("/<country id>/<province id>/<id>/"): every region at or below
-- R is `path LIKE R.path || '%'`, one range scan of region_path_idx (src/plugins/app/regions/region-sql.ts). The
-- triggers below keep it right whoever writes: a region's path is made from its parent's on insert and when it moves,
-- and a move rewrites the paths of everything below it.
CREATE TABLE "region" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parent_id" UUID,
    "code" TEXT,
    "path" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "region_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "region_not_own_parent" CHECK ("parent_id" IS DISTINCT FROM "id")
);
CREATE UNIQUE INDEX "region_slug_key" ON "region"("slug");
CREATE INDEX "region_parent_id_idx" ON "region"("parent_id");
CREATE INDEX "region_level_idx" ON "region"("level");
CREATE INDEX "region_path_idx" ON "region"("path" text_pattern_ops);
ALTER TABLE "region" ADD CONSTRAINT "region_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "region_path"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parent_path TEXT;
BEGIN
  IF NEW."parent_id" IS NULL THEN
    NEW."path" := '/' || NEW."id" || '/';
  ELSE
    SELECT "path" INTO parent_path FROM "region" WHERE "id" = NEW."parent_id";
    IF position('/' || NEW."id" || '/' IN parent_path) > 0 THEN
      RAISE EXCEPTION 'region % cannot be placed under its own descendant', NEW."slug" USING ERRCODE = 'check_violation';
    END IF;
    NEW."path" := parent_path || NEW."id" || '/';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "region_path" BEFORE INSERT OR UPDATE OF "parent_id" ON "region"
  FOR EACH ROW EXECUTE FUNCTION "region_path"();

CREATE FUNCTION "region_subtree_path"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only for the region that moved: the rows this rewrites are below it and already get their final path.
  IF pg_trigger_depth() > 1 OR OLD."path" = NEW."path" THEN
    RETURN NULL;
  END IF;
  UPDATE "region" SET "path" = NEW."path" || substr("path", length(OLD."path") + 1)
    WHERE "path" LIKE OLD."path" || '%' AND "id" <> NEW."id";
  RETURN NULL;
END;
$$;
-- Not "UPDATE OF path": a column-specific trigger does not fire for a change made by a BEFORE trigger.
CREATE TRIGGER "region_subtree_path" AFTER UPDATE ON "region"
  FOR EACH ROW EXECUTE FUNCTION "region_subtree_path"();

CREATE TRIGGER "region_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "region"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();

CREATE TYPE "HospitalGrade" AS ENUM ('tertiary_a', 'tertiary_b', 'tertiary_c', 'tertiary', 'secondary_a', 'secondary_b',
  'secondary_c', 'secondary', 'primary_a', 'primary_b', 'primary_c', 'primary', 'ungraded');
CREATE TYPE "HospitalType" AS ENUM ('general', 'maternal_child_health', 'children', 'tcm', 'integrated_tcm_western', 'specialized', 'other');
CREATE TYPE "HospitalOwnership" AS ENUM ('public', 'private', 'mixed', 'other');

-- Null where not known (a hospital entered before regions, or whose documents do not say).
ALTER TABLE "hospital" ADD COLUMN "region_id" UUID;
ALTER TABLE "hospital" ADD COLUMN "grade" "HospitalGrade";
ALTER TABLE "hospital" ADD COLUMN "type" "HospitalType";
ALTER TABLE "hospital" ADD COLUMN "ownership" "HospitalOwnership";
ALTER TABLE "hospital" ADD CONSTRAINT "hospital_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "hospital_region_id_idx" ON "hospital"("region_id");
CREATE INDEX "hospital_grade_idx" ON "hospital"("grade");
CREATE INDEX "hospital_type_idx" ON "hospital"("type");

-- A former slug of a hospital (kept when the slug changes, so old links answer 301), like unit_alias for units.
CREATE TABLE "hospital_alias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hospital_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hospital_alias_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "hospital_alias_slug_key" ON "hospital_alias"("slug");
CREATE INDEX "hospital_alias_hospital_id_idx" ON "hospital_alias"("hospital_id");
CREATE INDEX "hospital_alias_source_id_idx" ON "hospital_alias"("source_id");
ALTER TABLE "hospital_alias" ADD CONSTRAINT "hospital_alias_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "hospital_alias" ADD CONSTRAINT "hospital_alias_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE TRIGGER "hospital_alias_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "hospital_alias"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();

-- Unit aliases become writable: a version for If-Match, and updated_at.
ALTER TABLE "unit_alias" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "unit_alias" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- A key scoped to a region writes only inside it (its hospitals and what belongs to them, and the regions below it).
ALTER TABLE "api_key" ADD COLUMN "region_id" UUID;
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "api_key_region_id_idx" ON "api_key"("region_id");
