-- Synthetic sources: documents made up by `npm run seed:synthetic` (a region of invented hospitals for benchmarks and
-- tests), told apart from real documents in the data and in the API. Their file names start with "synthetic/", and
-- only theirs: the check keeps the flag and the name from disagreeing.

ALTER TABLE "source_document" ADD COLUMN "synthetic" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "source_document" ADD CONSTRAINT "source_document_synthetic_check" CHECK ("synthetic" = ("file_name" LIKE 'synthetic/%'));
