-- Hand-written (Prisma cannot express triggers): every committed change to what a picker shows of a
-- number or an agent sends one NOTIFY on "switchboard_inventory". Each Switchboard process keeps the
-- pickers' typeahead in memory and LISTENs here, so a change made by any replica (or by hand in
-- psql) retires every copy at commit (see src/services/pickerIndexCache.ts).
--
-- PostgreSQL folds identical notifications of one transaction into one, so a sync that writes
-- 10,000 rows in a transaction sends one. Updates that leave the picker's columns alone (sync
-- timestamps, locks, intents) send nothing: the WHEN clause is evaluated without calling the function.
CREATE FUNCTION "switchboard_inventory_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('switchboard_inventory', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "PhoneNumber_picker_insert_delete" AFTER INSERT OR DELETE ON "PhoneNumber"
  FOR EACH ROW EXECUTE FUNCTION "switchboard_inventory_changed"();
CREATE TRIGGER "PhoneNumber_picker_update" AFTER UPDATE ON "PhoneNumber"
  FOR EACH ROW
  WHEN ((OLD."provider", OLD."e164", OLD."nickname", OLD."isProduction", OLD."agentId", OLD."goneAt")
    IS DISTINCT FROM (NEW."provider", NEW."e164", NEW."nickname", NEW."isProduction", NEW."agentId", NEW."goneAt"))
  EXECUTE FUNCTION "switchboard_inventory_changed"();
CREATE TRIGGER "PhoneNumber_picker_truncate" AFTER TRUNCATE ON "PhoneNumber"
  FOR EACH STATEMENT EXECUTE FUNCTION "switchboard_inventory_changed"();

CREATE TRIGGER "Agent_picker_insert_delete" AFTER INSERT OR DELETE ON "Agent"
  FOR EACH ROW EXECUTE FUNCTION "switchboard_inventory_changed"();
CREATE TRIGGER "Agent_picker_update" AFTER UPDATE ON "Agent"
  FOR EACH ROW
  WHEN ((OLD."provider", OLD."providerAgentId", OLD."kind", OLD."name", OLD."published", OLD."active", OLD."goneAt")
    IS DISTINCT FROM (NEW."provider", NEW."providerAgentId", NEW."kind", NEW."name", NEW."published", NEW."active", NEW."goneAt"))
  EXECUTE FUNCTION "switchboard_inventory_changed"();
CREATE TRIGGER "Agent_picker_truncate" AFTER TRUNCATE ON "Agent"
  FOR EACH STATEMENT EXECUTE FUNCTION "switchboard_inventory_changed"();
