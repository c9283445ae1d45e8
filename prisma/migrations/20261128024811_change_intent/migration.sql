-- AlterTable
ALTER TABLE "PhoneNumber" ADD COLUMN     "intentAgentId" TEXT,
ADD COLUMN     "intentUnbind" BOOLEAN NOT NULL DEFAULT false;

