-- Webhooks: subscriptions, a durable outbox of deliveries and the log of every attempt.
--
-- The outbox is filled by a trigger on audit_event, so a delivery is written in the transaction of the change it
-- announces: a write that commits has its deliveries, a write that rolls back has none, and a process that dies after
-- the commit leaves them in the table for any instance to send. Each delivery's id (the Standard Webhooks
-- `webhook-id`) is made once, here, and stays the same across its retries so a receiver can drop a repeat.

CREATE TABLE "webhook_subscription" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "url" TEXT NOT NULL,
  "description" TEXT,
  -- Event types such as departments.updated; departments.* for every action on a resource, *.archived for one action
  -- on every resource; empty means every event.
  "events" TEXT[] NOT NULL DEFAULT '{}',
  -- The signing secret (whsec_ + base64 of 32 random bytes): shown to the caller once, at creation or rotation.
  "secret" TEXT NOT NULL,
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  -- When deliveries to it began to fail without a success since; it is disabled when that lasts too long.
  "failing_since" TIMESTAMPTZ(3),
  "disabled_at" TIMESTAMPTZ(3),
  "disabled_reason" TEXT,
  "created_by_id" UUID REFERENCES "api_key" ("id") ON DELETE SET NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "version" INTEGER NOT NULL DEFAULT 1,
  CONSTRAINT "webhook_subscription_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhook_delivery" (
  "id" TEXT NOT NULL,
  "subscription_id" UUID NOT NULL REFERENCES "webhook_subscription" ("id") ON DELETE CASCADE,
  "position" BIGINT NOT NULL REFERENCES "audit_event" ("position") ON DELETE RESTRICT,
  "event_type" TEXT NOT NULL,
  -- pending (to send, or being sent), delivered, or failed (its retry window passed without a 2xx).
  "state" TEXT NOT NULL DEFAULT 'pending' CHECK ("state" IN ('pending', 'delivered', 'failed')),
  "attempts" INTEGER NOT NULL DEFAULT 0,
  -- When it may next be sent. A sender that takes it moves this forward by a lease, so a sender that dies mid-way
  -- only delays it: once the lease passes, any instance takes it again.
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- Retries go on until this time plus the retry window (24 hours by default); a manual redelivery starts it again.
  "retry_from" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "delivered_at" TIMESTAMPTZ(3),
  CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery" ("next_attempt_at") WHERE "state" = 'pending';
CREATE INDEX "webhook_delivery_subscription_idx" ON "webhook_delivery" ("subscription_id", "created_at" DESC, "id" DESC);

CREATE TABLE "webhook_attempt" (
  "id" BIGINT GENERATED ALWAYS AS IDENTITY,
  "delivery_id" TEXT NOT NULL REFERENCES "webhook_delivery" ("id") ON DELETE CASCADE,
  "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "duration_ms" INTEGER NOT NULL,
  -- The receiver's HTTP status, or null when no answer came (refused address, connection error, timeout).
  "status_code" INTEGER,
  "error" TEXT,
  -- The start of the receiver's answer, for whoever debugs the endpoint.
  "response_body" TEXT,
  CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_attempt_delivery_idx" ON "webhook_attempt" ("delivery_id", "attempted_at");

CREATE FUNCTION "webhook_event_type"(resource TEXT, action TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT resource || '.' || CASE action WHEN 'create' THEN 'created' WHEN 'update' THEN 'updated'
    WHEN 'archive' THEN 'archived' WHEN 'restore' THEN 'restored' ELSE action END
$$;

CREATE FUNCTION "webhook_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  event_type TEXT := "webhook_event_type"(NEW."resource", NEW."action"::text);
BEGIN
  INSERT INTO "webhook_delivery" ("id", "subscription_id", "position", "event_type")
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s."id", NEW."position", event_type
  FROM "webhook_subscription" s
  WHERE s."enabled" AND (
    cardinality(s."events") = 0
    OR event_type = ANY (s."events")
    OR NEW."resource" || '.*' = ANY (s."events")
    OR '*.' || split_part(event_type, '.', 2) = ANY (s."events")
    OR '*' = ANY (s."events"));
  IF FOUND THEN
    -- Senders on every instance wake at commit (a NOTIFY is delivered only if the transaction commits), on the channel
    -- every instance already listens on.
    PERFORM pg_notify('data_change', 'webhook_delivery');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "webhook_outbox" AFTER INSERT ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "webhook_outbox"();
