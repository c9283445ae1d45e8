// Builds the services from their dependencies; the one place that knows how they fit together.

import type { RunCoordinator } from "node-cron";
import type { Config } from "../config";
import type { Db } from "../db/database";
import { pruneLeases } from "../jobs/leaseCoordinator";
import { Scheduler } from "../jobs/scheduler";
import type { Logger } from "../logger";
import type { ProviderRegistry } from "../providers/registry";
import { ApprovalService } from "./approvals";
import { AssignmentService } from "./assignment";
import { ChangeFeed } from "./changeFeed";
import { DriftRepairService } from "./driftRepair";
import { InventoryService } from "./inventory";
import { InventorySync } from "./inventorySync";
import { NumberSettingsService } from "./numberSettings";
import { NumberStatusService } from "./numberStatus";
import { loadOverview } from "./overview";
import type { AlertNotifier, ApprovalNotifier, ApproverDirectory, TestCallNotifier } from "./ports";
import { RoutingCheckService } from "./routingCheck";
import { type PollPolicy, TestCallService } from "./testCalls";

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  db: Db;
  providers: ProviderRegistry;
  notifier: ApprovalNotifier;
  approvers: ApproverDirectory;
  /** null when ALERT_CHANNEL_ID is unset: findings are still recorded, nothing is posted. */
  alerts: AlertNotifier | null;
  testCallNotifier: TestCallNotifier;
  /** How test calls are followed at the provider (tests shorten it). */
  testCallPoll?: PollPolicy;
  /** Elects one replica per scheduled run (PostgreSQL); absent on the embedded database. */
  runCoordinator?: RunCoordinator;
}

export function createServices(deps: ServiceDeps) {
  const { config, logger, db, providers } = deps;
  const changes = new ChangeFeed();
  const sync = new InventorySync(db, providers, logger.child({ component: "sync" }), changes);
  const inventory = new InventoryService(db, () => [...providers.keys()], {
    providers,
    sync,
    logger: logger.child({ component: "inventory" }),
    defaultRegion: config.defaultRegion,
  });
  const assignment = new AssignmentService(
    db,
    providers,
    config,
    logger.child({ component: "assignment" }),
    changes,
    (provider) => sync.refreshAgents(provider),
  );
  const approvals = new ApprovalService(
    db,
    assignment,
    deps.notifier,
    deps.approvers,
    config.approvalTtlMs,
    logger.child({ component: "approvals" }),
    changes,
  );
  const settings = new NumberSettingsService(db, inventory, deps.approvers, changes);
  const check = new RoutingCheckService(db, sync, deps.alerts, logger.child({ component: "check" }));
  const status = new NumberStatusService(db, inventory, providers);
  const driftRepair = new DriftRepairService(db, inventory, providers, assignment, check, changes);
  const testCalls = new TestCallService(
    db,
    inventory,
    providers,
    deps.testCallNotifier,
    config,
    logger.child({ component: "test-calls" }),
    deps.testCallPoll,
  );
  const scheduler = new Scheduler(logger.child({ component: "scheduler" }), deps.runCoordinator);
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
    check,
    status,
    changes,
    testCalls,
    driftRepair,
    overview: () => loadOverview(db),
    /** Initial sync (in the background: start-up does not wait for providers) and schedules. */
    async startup(options: { schedules: boolean; initialSync: boolean }) {
      if (options.initialSync) {
        initialSync = sync
          .syncAll()
          .catch((error: unknown) => logger.error({ err: error }, "initial sync failed"));
      }
      if (!options.schedules) return;
      if (!deps.alerts)
        logger.warn("ALERT_CHANNEL_ID is not set: the routing check records findings but posts no alerts");
      scheduler.add({
        name: "routing-check",
        schedule: config.checkSchedule,
        run: (slot) => check.run(`schedule:${slot.toISOString()}`),
      });
      scheduler.add({ name: "approval-expiry", schedule: "* * * * *", run: () => approvals.expireDue() });
      scheduler.add({ name: "lease-pruning", schedule: "17 3 * * *", run: () => pruneLeases(db) });
    },
    shutdown() {
      scheduler.stop();
      testCalls.stop();
    },
    async drain() {
      // shutdown() already told test calls to stop following; wait for them to write their last state.
      await Promise.allSettled([initialSync, scheduler.drain(), testCalls.settled()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
