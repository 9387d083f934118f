-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('division', 'department', 'center');

-- CreateEnum
CREATE TYPE "MetricCategory" AS ENUM ('capacity', 'staffing', 'activity', 'outcome', 'research', 'training', 'facility');

-- CreateEnum
CREATE TYPE "Comparator" AS ENUM ('<', '<=', '>=', '>');

-- CreateEnum
CREATE TYPE "PeriodKind" AS ENUM ('annual', 'span', 'cumulative', 'point');

-- CreateEnum
CREATE TYPE "HonorKind" AS ENUM ('designation', 'accreditation', 'recognition', 'membership', 'distinction');

-- CreateEnum
CREATE TYPE "HonorLevel" AS ENUM ('institutional', 'municipal', 'provincial', 'regional', 'national', 'international');

-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('procedure', 'treatment', 'clinic', 'screening', 'management', 'consultation', 'transport');

-- CreateEnum
CREATE TYPE "ConditionRelation" AS ENUM ('treated', 'managed', 'screened');

-- CreateEnum
CREATE TYPE "EventKind" AS ENUM ('founding', 'designation', 'partnership', 'milestone', 'equipment', 'recognition');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('day', 'month', 'year', 'unknown');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('department_page', 'center_page', 'news_article');

-- CreateTable
CREATE TABLE "source_document" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "file_name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "stated_on" DATE,
    "breadcrumb" TEXT,
    "full_text" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hospital" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT,
    "city" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hospital_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hospital_id" UUID NOT NULL,
    "parent_id" UUID,
    "kind" "UnitKind" NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT,
    "focus" TEXT,
    "established_year" INTEGER,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit_alias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "unit_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_alias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_definition" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "unit_label" TEXT NOT NULL,
    "category" "MetricCategory" NOT NULL,
    "additive" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_observation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "unit_id" UUID NOT NULL,
    "metric_id" UUID NOT NULL,
    "value" DECIMAL(18,4) NOT NULL,
    "comparator" "Comparator",
    "approximate" BOOLEAN NOT NULL DEFAULT false,
    "stated_value" TEXT NOT NULL,
    "period_kind" "PeriodKind" NOT NULL,
    "period_duration" TEXT,
    "period_start" DATE,
    "period_end" DATE,
    "period_label" TEXT,
    "stated_on" DATE,
    "note" TEXT,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "honor" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hospital_id" UUID NOT NULL,
    "unit_id" UUID,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "HonorKind" NOT NULL,
    "issuer" TEXT,
    "level" "HonorLevel",
    "year" INTEGER,
    "stated_on" DATE,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "honor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "unit_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ServiceKind" NOT NULL,
    "description" TEXT,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "condition" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "condition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "unit_condition" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "unit_id" UUID NOT NULL,
    "condition_id" UUID NOT NULL,
    "relation" "ConditionRelation" NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_condition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hospital_id" UUID NOT NULL,
    "unit_id" UUID,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "kind" "EventKind" NOT NULL,
    "year" INTEGER,
    "occurred_on" DATE,
    "date_precision" "DatePrecision" NOT NULL,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "news_article" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hospital_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "published_on" DATE NOT NULL,
    "summary" TEXT,
    "body" TEXT NOT NULL,
    "image_file" TEXT,
    "image_caption" TEXT,
    "source_id" UUID NOT NULL,
    "quote" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "news_article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "news_article_unit" (
    "article_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,

    CONSTRAINT "news_article_unit_pkey" PRIMARY KEY ("article_id","unit_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "source_document_file_name_key" ON "source_document"("file_name");

-- CreateIndex
CREATE UNIQUE INDEX "hospital_slug_key" ON "hospital"("slug");

-- CreateIndex
CREATE INDEX "hospital_source_id_idx" ON "hospital"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "unit_slug_key" ON "unit"("slug");

-- CreateIndex
CREATE INDEX "unit_hospital_id_kind_idx" ON "unit"("hospital_id", "kind");

-- CreateIndex
CREATE INDEX "unit_parent_id_idx" ON "unit"("parent_id");

-- CreateIndex
CREATE INDEX "unit_source_id_idx" ON "unit"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "unit_alias_slug_key" ON "unit_alias"("slug");

-- CreateIndex
CREATE INDEX "unit_alias_unit_id_idx" ON "unit_alias"("unit_id");

-- CreateIndex
CREATE INDEX "unit_alias_source_id_idx" ON "unit_alias"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "metric_definition_code_key" ON "metric_definition"("code");

-- CreateIndex
CREATE INDEX "metric_definition_category_idx" ON "metric_definition"("category");

-- CreateIndex
CREATE INDEX "metric_observation_metric_id_idx" ON "metric_observation"("metric_id");

-- CreateIndex
CREATE INDEX "metric_observation_source_id_idx" ON "metric_observation"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "metric_observation_unit_id_metric_id_source_id_key" ON "metric_observation"("unit_id", "metric_id", "source_id");

-- CreateIndex
CREATE INDEX "honor_unit_id_idx" ON "honor"("unit_id");

-- CreateIndex
CREATE INDEX "honor_source_id_idx" ON "honor"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "honor_hospital_id_slug_key" ON "honor"("hospital_id", "slug");

-- CreateIndex
CREATE INDEX "service_source_id_idx" ON "service"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_unit_id_slug_key" ON "service"("unit_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "condition_slug_key" ON "condition"("slug");

-- CreateIndex
CREATE INDEX "unit_condition_condition_id_idx" ON "unit_condition"("condition_id");

-- CreateIndex
CREATE INDEX "unit_condition_source_id_idx" ON "unit_condition"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "unit_condition_unit_id_condition_id_key" ON "unit_condition"("unit_id", "condition_id");

-- CreateIndex
CREATE INDEX "event_unit_id_idx" ON "event"("unit_id");

-- CreateIndex
CREATE INDEX "event_source_id_idx" ON "event"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "event_hospital_id_slug_key" ON "event"("hospital_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "news_article_slug_key" ON "news_article"("slug");

-- CreateIndex
CREATE INDEX "news_article_hospital_id_published_on_idx" ON "news_article"("hospital_id", "published_on");

-- CreateIndex
CREATE INDEX "news_article_source_id_idx" ON "news_article"("source_id");

-- CreateIndex
CREATE INDEX "news_article_unit_unit_id_idx" ON "news_article_unit"("unit_id");

-- AddForeignKey
ALTER TABLE "hospital" ADD CONSTRAINT "hospital_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit" ADD CONSTRAINT "unit_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit" ADD CONSTRAINT "unit_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit" ADD CONSTRAINT "unit_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_alias" ADD CONSTRAINT "unit_alias_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_alias" ADD CONSTRAINT "unit_alias_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_observation" ADD CONSTRAINT "metric_observation_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_observation" ADD CONSTRAINT "metric_observation_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "metric_definition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_observation" ADD CONSTRAINT "metric_observation_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "honor" ADD CONSTRAINT "honor_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "honor" ADD CONSTRAINT "honor_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "honor" ADD CONSTRAINT "honor_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_condition" ADD CONSTRAINT "unit_condition_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_condition" ADD CONSTRAINT "unit_condition_condition_id_fkey" FOREIGN KEY ("condition_id") REFERENCES "condition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "unit_condition" ADD CONSTRAINT "unit_condition_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "news_article" ADD CONSTRAINT "news_article_hospital_id_fkey" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "news_article" ADD CONSTRAINT "news_article_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "news_article_unit" ADD CONSTRAINT "news_article_unit_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "news_article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "news_article_unit" ADD CONSTRAINT "news_article_unit_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Integrity rules Prisma's schema language cannot express (Prisma Migrate leaves CHECK constraints alone).
ALTER TABLE "source_document" ADD CONSTRAINT "source_document_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$');
ALTER TABLE "metric_observation" ADD CONSTRAINT "metric_observation_period_check" CHECK ("period_start" IS NULL OR "period_end" IS NULL OR "period_start" <= "period_end");
ALTER TABLE "metric_observation" ADD CONSTRAINT "metric_observation_period_duration_check" CHECK ("period_duration" IS NULL OR "period_duration" ~ '^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$');
ALTER TABLE "unit" ADD CONSTRAINT "unit_not_own_parent_check" CHECK ("parent_id" IS NULL OR "parent_id" <> "id");
