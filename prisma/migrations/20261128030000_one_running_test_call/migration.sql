-- Hand-written (Prisma cannot express partial indexes): one running test call per requester,
-- so two clicks at once cannot both dial.
CREATE UNIQUE INDEX "TestCall_one_running_per_requester" ON "TestCall"("requesterId") WHERE "status" IN ('placed', 'ringing', 'in_progress');
