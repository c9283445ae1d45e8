-- AlterEnum
ALTER TYPE "ApprovalKind" ADD VALUE 'restore';

-- AlterTable
ALTER TABLE "TestCall" ADD COLUMN     "connected" BOOLEAN;

