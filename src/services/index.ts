// Builds the services from their dependencies; the one place that knows how they fit together.
import type { Config } from "../config";
import type { Db } from "../db/database";
import { Scheduler } from "../jobs/scheduler";
import type { Logger } from "../logger";
import type { ProviderRegistry } from "../providers/registry";
import { ApprovalService } from "./approvals";
import { AssignmentService } from "./assignment";
import { InventoryService } from "./inventory";
import { InventorySync } from "./inventorySync";
import { NumberSettingsService } from "./numberSettings";
import type { ApprovalNotifier, ApproverDirectory } from "./ports";

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  db: Db;
  providers: ProviderRegistry;
  notifier: ApprovalNotifier;
  approvers: ApproverDirectory;
}

export function createServices(deps: ServiceDeps) {
  const { config, logger, db, providers } = deps;
  const inventory = new InventoryService(db, () => [...providers.keys()]);
  const sync = new InventorySync(db, providers, logger.child({ component: "sync" }));
  const assignment = new AssignmentService(db, providers, config, logger.child({ component: "assignment" }));
  const approvals = new ApprovalService(
    db,
    assignment,
    deps.notifier,
    deps.approvers,
    config.approvalTtlMs,
    logger.child({ component: "approvals" }),
  );
  const settings = new NumberSettingsService(db, inventory, deps.approvers);
  const scheduler = new Scheduler(logger.child({ component: "scheduler" }));
  let initialSync: Promise<unknown> | undefined;

  return {
    db,
    config,
    providers,
    inventory,
    sync,
    assignment,
    approvals,
    settings,
    /** Initial sync (in the background: start-up does not wait for providers) and schedules. */
    async startup(options: { schedules: boolean; initialSync: boolean }) {
      if (options.initialSync) {
        initialSync = sync
          .syncAll()
          .catch((error: unknown) => logger.error({ err: error }, "initial sync failed"));
      }
      if (!options.schedules) return;
      scheduler.add({ name: "inventory-sync", schedule: config.checkSchedule, run: () => sync.syncAll() });
      scheduler.add({ name: "approval-expiry", schedule: "* * * * *", run: () => approvals.expireDue() });
    },
    shutdown() {
      scheduler.stop();
    },
    async drain() {
      await Promise.allSettled([initialSync, scheduler.drain()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
