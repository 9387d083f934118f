-- The data's version: one counter that moves on with every committed change to the data, made by the same
-- statement-level triggers that notify "data_change". A GET's ETag is made from it (and the request), so a
-- conditional GET is answered 304 after reading one row, without building the answer. The counter is updated in the
-- writing transaction: it is visible exactly when the change is, and rolls back with it. Concurrent writers queue on
-- the row for the rest of their transaction, which is what keeps the counter in commit order; this API's writes are
-- short, and bulk loads are one transaction.

CREATE TABLE "data_version" (
    "id" INTEGER NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "data_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "data_version_single_row" CHECK ("id" = 1)
);
INSERT INTO "data_version" ("id", "value") VALUES (1, 1);

CREATE OR REPLACE FUNCTION "notify_data_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "data_version" SET "value" = "value" + 1 WHERE "id" = 1;
  PERFORM pg_notify('data_change', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
