// The cron schedules, wired to service calls: the routing check (CHECK_SCHEDULE), approval expiry
// (every minute) and the pruning of old run leases (daily). With several replicas on PostgreSQL each
// slot runs on one replica only (a lease row per slot, see src/db/leases.ts).
import type { Db } from "../db/database";
import { leaseCoordinator, pruneLeases } from "../db/leases";
import type { Logger } from "../logger";
import type { Services } from "../services";
import { Scheduler } from "./scheduler";

export interface ScheduleOptions {
  services: Pick<Services, "check" | "approvals">;
  logger: Logger;
  /** Cron expression of the routing check. */
  checkSchedule: string;
  /** Whether the check has a channel to post to (it records findings either way). */
  alertsConfigured: boolean;
  /** The run leases live in the database; on PostgreSQL they also elect one replica per slot. */
  leases: { db: Db; distributed: boolean };
}

export function startSchedules(options: ScheduleOptions): Scheduler {
  const { services, logger, leases } = options;
  const scheduler = new Scheduler(
    logger.child({ component: "scheduler" }),
    leases.distributed ? leaseCoordinator(leases.db) : undefined,
  );
  if (!options.alertsConfigured)
    logger.warn("ALERT_CHANNEL_ID is not set: the routing check records findings but posts no alerts");
  scheduler.add({
    name: "routing-check",
    schedule: options.checkSchedule,
    run: (slot) => services.check.run(`schedule:${slot.toISOString()}`),
  });
  scheduler.add({
    name: "approval-expiry",
    schedule: "* * * * *",
    run: () => services.approvals.expireDue(),
  });
  scheduler.add({ name: "lease-pruning", schedule: "17 3 * * *", run: () => pruneLeases(leases.db) });
  return scheduler;
}
