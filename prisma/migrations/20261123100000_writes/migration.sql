-- Writes: provenance for figures entered by hand, the audit trail, archived (soft-deleted) records and idempotent
-- POSTs. The three new tables are bookkeeping, not data: no data_change trigger. Archiving deletes the live row (its
-- table's trigger empties the caches) after keeping a copy here, so every read, search and statistic leaves archived
-- records out without a filter of its own.

-- A figure an administrator enters without a document to cite is backed by a source of this kind: its text is the
-- administrator's note, and entered_by names the key that wrote it.
ALTER TYPE "SourceKind" ADD VALUE 'manual_entry';

ALTER TABLE "source_document" ADD COLUMN "entered_by" UUID;
ALTER TABLE "source_document" ADD CONSTRAINT "source_document_entered_by_fkey" FOREIGN KEY ("entered_by") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "source_document_entered_by_idx" ON "source_document"("entered_by");

-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('create', 'update', 'archive', 'restore');

-- Every write, recorded in the transaction that makes it: a rolled-back write leaves no audit row.
CREATE TABLE "audit_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "api_key_id" UUID NOT NULL,
    "request_id" TEXT,
    "resource" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "action" "AuditAction" NOT NULL,
    "version" INTEGER NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "audit_event_resource_entity_id_occurred_at_idx" ON "audit_event"("resource", "entity_id", "occurred_at");
CREATE INDEX "audit_event_occurred_at_idx" ON "audit_event"("occurred_at");
CREATE INDEX "audit_event_api_key_id_idx" ON "audit_event"("api_key_id");

-- A deleted record: the row as it was (to_jsonb), the rows that went with it (a unit's aliases, an article's unit
-- links), and its API representation. Restoring puts the rows back with the same ids.
CREATE TABLE "archived_record" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "resource" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_by" UUID NOT NULL,
    "row" JSONB NOT NULL,
    "dependents" JSONB NOT NULL,
    "representation" JSONB NOT NULL,

    CONSTRAINT "archived_record_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "archived_record" ADD CONSTRAINT "archived_record_archived_by_fkey" FOREIGN KEY ("archived_by") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE UNIQUE INDEX "archived_record_entity_id_key" ON "archived_record"("entity_id");
CREATE INDEX "archived_record_resource_archived_at_idx" ON "archived_record"("resource", "archived_at");

-- Idempotency-Key on POST, per API key. A row without a status is a request in progress; the response is stored in
-- the transaction of the write itself, so a stored response always means a committed write and vice versa.
CREATE TABLE "idempotency_record" (
    "api_key_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "status" INTEGER,
    "location" TEXT,
    "etag" TEXT,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("api_key_id", "key")
);
ALTER TABLE "idempotency_record" ADD CONSTRAINT "idempotency_record_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "idempotency_record_created_at_idx" ON "idempotency_record"("created_at");
