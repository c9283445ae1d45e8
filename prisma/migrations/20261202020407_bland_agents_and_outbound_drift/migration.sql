-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('agent', 'assistant', 'persona');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ProviderHealth" ADD VALUE 'billing';
ALTER TYPE "ProviderHealth" ADD VALUE 'account_inactive';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FindingKind" ADD VALUE 'provider_billing';
ALTER TYPE "FindingKind" ADD VALUE 'provider_account_inactive';

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "kind" "AgentKind" NOT NULL DEFAULT 'agent',
ADD COLUMN     "providerModifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN     "providerOutboundAgentIds" TEXT[] DEFAULT ARRAY[]::TEXT[];


-- Rows written before kinds existed: Vapi rows are assistants, Bland rows personas (Retell rows stay agents).
UPDATE "Agent" SET "kind" = 'assistant' WHERE "provider" = 'vapi';
UPDATE "Agent" SET "kind" = 'persona' WHERE "provider" = 'bland';

-- Until the next sync reads Retell's outbound_agents, assume they matched the inbound binding
-- (Switchboard always wrote both): no outbound drift is reported on stale data.
UPDATE "PhoneNumber" SET "providerOutboundAgentIds" = "providerAgentIds" WHERE "provider" = 'retell';
