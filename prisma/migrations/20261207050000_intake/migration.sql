-- Intake: source documents written through the API (POST /v1/sources), the candidates extraction proposes from each,
-- and their review. A source now says which hospital it is about, where it was found, its language and the media
-- type it was sent in, and how its last extraction went. Candidates are data like any other (their changes notify
-- "data_change" and move the data version), kept with their source: archived and restored with it.

ALTER TABLE "source_document" ADD COLUMN "hospital_id" UUID;
ALTER TABLE "source_document" ADD COLUMN "url" TEXT;
ALTER TABLE "source_document" ADD COLUMN "language" TEXT;
ALTER TABLE "source_document" ADD COLUMN "content_type" TEXT;

CREATE TYPE "ExtractionStatus" AS ENUM ('extracted', 'unreadable', 'failed');

-- Null until the source is first extracted (the seeded documents and manual entries never are).
ALTER TABLE "source_document" ADD COLUMN "extraction_status" "ExtractionStatus";
ALTER TABLE "source_document" ADD COLUMN "extraction_message" TEXT;
ALTER TABLE "source_document" ADD COLUMN "extraction_language" TEXT;
ALTER TABLE "source_document" ADD COLUMN "extraction_rules_version" TEXT;
ALTER TABLE "source_document" ADD COLUMN "extracted_at" TIMESTAMPTZ(3);

ALTER TABLE "source_document" ADD CONSTRAINT "source_document_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "source_document_hospital_id_idx" ON "source_document"("hospital_id");
-- A text sent again is found by its digest (409 naming the source that has it).
CREATE INDEX "source_document_sha256_idx" ON "source_document"("sha256");

CREATE TYPE "CandidateKind" AS ENUM ('figure', 'honor', 'event');
CREATE TYPE "CandidateStatus" AS ENUM ('proposed', 'accepted', 'rejected');

-- What extraction proposed from a source, and what review made of it. `proposal` holds the kind's own fields as
-- extraction gave them (subject, metric, value, period…; title, level…); `corrections` what the reviewer changed when
-- accepting; `fact_id` the figure, honor or event created (no foreign key: it is one of three tables, and the fact may
-- be archived later while the candidate's history stays).
CREATE TABLE "extraction_candidate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source_id" UUID NOT NULL,
    "kind" "CandidateKind" NOT NULL,
    "status" "CandidateStatus" NOT NULL DEFAULT 'proposed',
    "proposal" JSONB NOT NULL,
    "rule" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "quote" TEXT NOT NULL,
    "quote_start" INTEGER NOT NULL,
    "quote_end" INTEGER NOT NULL,
    "rules_version" TEXT NOT NULL,
    "corrections" JSONB,
    "fact_id" UUID,
    "reviewed_by" UUID,
    "reviewed_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "extraction_candidate_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "extraction_candidate_confidence_check" CHECK ("confidence" >= 0 AND "confidence" <= 1),
    CONSTRAINT "extraction_candidate_offsets_check" CHECK ("quote_start" >= 0 AND "quote_end" > "quote_start"),
    -- An accepted candidate names its fact; a decided one its reviewer.
    CONSTRAINT "extraction_candidate_fact_check" CHECK (("status" = 'accepted') = ("fact_id" IS NOT NULL)),
    CONSTRAINT "extraction_candidate_review_check" CHECK (("status" = 'proposed') = ("reviewed_by" IS NULL))
);
ALTER TABLE "extraction_candidate" ADD CONSTRAINT "extraction_candidate_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "extraction_candidate" ADD CONSTRAINT "extraction_candidate_reviewed_by_fkey" FOREIGN KEY ("reviewed_by") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "extraction_candidate_source_id_status_idx" ON "extraction_candidate"("source_id", "status");
CREATE INDEX "extraction_candidate_status_idx" ON "extraction_candidate"("status");
CREATE INDEX "extraction_candidate_reviewed_by_idx" ON "extraction_candidate"("reviewed_by");

CREATE TRIGGER "extraction_candidate_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "extraction_candidate"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
