-- Every committed change to the data notifies the channel "data_change" with the table's name, whoever made it: this
-- API, another instance of it, the seed command or a manual fix in psql. Caches listen to the channel and drop what
-- they hold. PostgreSQL delivers a notification only when its transaction commits (never on rollback) and folds
-- identical ones within a transaction, so a statement-level trigger costs one notification per table per transaction.

CREATE FUNCTION "notify_data_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('data_change', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "source_document_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "source_document"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "hospital_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "hospital"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "unit_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "unit"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "unit_alias_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "unit_alias"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "metric_definition_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "metric_definition"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "metric_observation_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "metric_observation"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "honor_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "honor"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "service_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "service"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "condition_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "condition"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "unit_condition_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "unit_condition"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "event_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "event"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "news_article_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "news_article"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
CREATE TRIGGER "news_article_unit_data_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "news_article_unit"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_data_change"();
