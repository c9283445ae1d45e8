-- When the inventory sync last succeeded per provider (lastSyncAt is the last attempt, failed or
-- not), for the /metrics gauge switchboard_provider_last_successful_sync_timestamp_seconds.
ALTER TABLE "ProviderAccount" ADD COLUMN "lastSyncOkAt" TIMESTAMP(3);
UPDATE "ProviderAccount" SET "lastSyncOkAt" = "lastSyncAt" WHERE "lastSyncOk" = true;
