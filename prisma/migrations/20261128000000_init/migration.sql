-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Provider" AS ENUM ('retell', 'vapi', 'bland');

-- CreateEnum
CREATE TYPE "ProviderHealth" AS ENUM ('unknown', 'ok', 'invalid_key', 'unreachable');

-- CreateEnum
CREATE TYPE "ApprovalKind" AS ENUM ('reassign', 'unassign');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'rejected', 'expired', 'cancelled', 'failed');

-- CreateEnum
CREATE TYPE "FindingKind" AS ENUM ('unassigned', 'agent_gone', 'agent_unpublished', 'agent_inactive', 'provider_key_invalid', 'provider_unreachable', 'drift', 'multiple_agents');

-- CreateEnum
CREATE TYPE "TestCallStatus" AS ENUM ('placed', 'ringing', 'in_progress', 'ended', 'failed');

-- CreateTable
CREATE TABLE "ProviderAccount" (
    "provider" "Provider" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "health" "ProviderHealth" NOT NULL DEFAULT 'unknown',
    "healthMessage" TEXT,
    "healthCheckedAt" TIMESTAMP(3),
    "lastSyncAt" TIMESTAMP(3),
    "lastSyncOk" BOOLEAN,
    "lastSyncSummary" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderAccount_pkey" PRIMARY KEY ("provider")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "providerAgentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" TEXT,
    "goneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhoneNumber" (
    "id" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "e164" TEXT NOT NULL,
    "providerNumberId" TEXT NOT NULL,
    "nickname" TEXT,
    "isProduction" BOOLEAN NOT NULL DEFAULT false,
    "isSpare" BOOLEAN NOT NULL DEFAULT false,
    "agentId" TEXT,
    "outboundAgentId" TEXT,
    "providerAgentIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "providerRouting" JSONB,
    "lastSyncedAt" TIMESTAMP(3),
    "goneAt" TIMESTAMP(3),
    "bindingVersion" INTEGER NOT NULL DEFAULT 0,
    "lockToken" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PhoneNumber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" TEXT NOT NULL,
    "kind" "ApprovalKind" NOT NULL,
    "numberId" TEXT NOT NULL,
    "fromAgentId" TEXT,
    "toAgentId" TEXT,
    "requesterId" TEXT NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'pending',
    "bindingVersion" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "overrideReadiness" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "numberId" TEXT,
    "e164" TEXT,
    "provider" "Provider",
    "before" JSONB,
    "after" JSONB,
    "detail" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingFinding" (
    "id" TEXT NOT NULL,
    "kind" "FindingKind" NOT NULL,
    "numberId" TEXT NOT NULL,
    "openKey" TEXT,
    "detail" JSONB,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "snoozedUntil" TIMESTAMP(3),
    "lastRaisedAt" TIMESTAMP(3),
    "channelId" TEXT,
    "messageTs" TEXT,

    CONSTRAINT "RoutingFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckRun" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "trigger" TEXT NOT NULL,
    "summary" JSONB,

    CONSTRAINT "CheckRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ProcessedRequest" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedRequest_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "TestCall" (
    "id" TEXT NOT NULL,
    "numberId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "providerCallId" TEXT,
    "status" "TestCallStatus" NOT NULL DEFAULT 'placed',
    "endReason" TEXT,
    "durationSec" INTEGER,
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "TestCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Agent_provider_name_idx" ON "Agent"("provider", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_provider_providerAgentId_key" ON "Agent"("provider", "providerAgentId");

-- CreateIndex
CREATE INDEX "PhoneNumber_provider_agentId_idx" ON "PhoneNumber"("provider", "agentId");

-- CreateIndex
CREATE INDEX "PhoneNumber_agentId_idx" ON "PhoneNumber"("agentId");

-- CreateIndex
CREATE UNIQUE INDEX "PhoneNumber_provider_e164_key" ON "PhoneNumber"("provider", "e164");

-- CreateIndex
CREATE UNIQUE INDEX "PhoneNumber_provider_providerNumberId_key" ON "PhoneNumber"("provider", "providerNumberId");

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_expiresAt_idx" ON "ApprovalRequest"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_numberId_status_idx" ON "ApprovalRequest"("numberId", "status");

-- CreateIndex
CREATE INDEX "AuditEvent_numberId_at_idx" ON "AuditEvent"("numberId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingFinding_openKey_key" ON "RoutingFinding"("openKey");

-- CreateIndex
CREATE INDEX "RoutingFinding_resolvedAt_idx" ON "RoutingFinding"("resolvedAt");

-- CreateIndex
CREATE INDEX "RoutingFinding_numberId_idx" ON "RoutingFinding"("numberId");

-- CreateIndex
CREATE INDEX "TestCall_requesterId_createdAt_idx" ON "TestCall"("requesterId", "createdAt");

-- AddForeignKey
ALTER TABLE "PhoneNumber" ADD CONSTRAINT "PhoneNumber_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhoneNumber" ADD CONSTRAINT "PhoneNumber_outboundAgentId_fkey" FOREIGN KEY ("outboundAgentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_numberId_fkey" FOREIGN KEY ("numberId") REFERENCES "PhoneNumber"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingFinding" ADD CONSTRAINT "RoutingFinding_numberId_fkey" FOREIGN KEY ("numberId") REFERENCES "PhoneNumber"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestCall" ADD CONSTRAINT "TestCall_numberId_fkey" FOREIGN KEY ("numberId") REFERENCES "PhoneNumber"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (Prisma cannot express partial indexes): at most one pending approval per number,
-- so two people asking at once cannot queue conflicting changes.
CREATE UNIQUE INDEX "ApprovalRequest_one_pending_per_number" ON "ApprovalRequest"("numberId") WHERE "status" = 'pending';
