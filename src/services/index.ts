// Builds the services from their dependencies; the one place that knows how they fit together.
// What it returns is the use cases only: callers (listeners, jobs, the composition root) reach the
// database, the configuration and the provider clients through them, never directly.
import type { Config } from "../config";
import type { Db } from "../db/database";
import { type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import type { ProviderRegistry } from "../providers/registry";
import { AccessService } from "./access";
import { ApprovalService } from "./approvals";
import { AssignmentService } from "./assignment";
import { ChangeFeed } from "./changeFeed";
import { DriftRepairService } from "./driftRepair";
import { InventoryService } from "./inventory";
import { InventorySync } from "./inventorySync";
import { NumberSettingsService } from "./numberSettings";
import { NumberStatusService } from "./numberStatus";
import { OverviewService } from "./overview";
import { PickerIndexCache } from "./pickerIndexCache";
import type {
  AlertNotifier,
  ApprovalNotifier,
  ApproverDirectory,
  InventoryChanges,
  PeopleDirectory,
  TestCallNotifier,
} from "./ports";
import { RoutingCheckService } from "./routingCheck";
import { type PollPolicy, TestCallService } from "./testCalls";

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  db: Db;
  /** The database's change notifications: with them the pickers answer from memory (else from SQL). */
  inventoryChanges?: InventoryChanges;
  providers: ProviderRegistry;
  notifier: ApprovalNotifier;
  approvers: ApproverDirectory;
  /** Who someone is (guest, deactivated, profile phone) and user group membership. */
  people: PeopleDirectory;
  /** null when ALERT_CHANNEL_ID is unset: findings are still recorded, nothing is posted. */
  alerts: AlertNotifier | null;
  testCallNotifier: TestCallNotifier;
  /** How test calls are followed at the provider (tests shorten it). */
  testCallPoll?: PollPolicy;
  /** The time as services read it (default: the real clock; tests move it). */
  clock?: Clock;
}

export function createServices(deps: ServiceDeps) {
  const { config, logger, db, providers } = deps;
  const clock = deps.clock ?? systemClock;
  const changes = new ChangeFeed();
  const access = new AccessService(db, deps.people, deps.approvers, config);
  const sync = new InventorySync(db, providers, logger.child({ component: "sync" }), access, changes, clock);
  const pickerIndex = deps.inventoryChanges
    ? new PickerIndexCache(db, deps.inventoryChanges, logger.child({ component: "picker-index" }))
    : undefined;
  // This process's own changes retire the copy at once (the database's NOTIFY follows at commit).
  if (pickerIndex) changes.subscribe(() => pickerIndex.invalidate());
  const inventory = new InventoryService(
    db,
    () => [...providers.keys()],
    {
      providers,
      sync,
      logger: logger.child({ component: "inventory" }),
      defaultRegion: config.defaultRegion,
    },
    pickerIndex,
  );
  // Approvals apply an approved change through the assignment path, and the assignment path files
  // approval requests: each is handed the other's entry point.
  const approvals: ApprovalService = new ApprovalService(
    db,
    (request) => assignment.requestChange(request),
    deps.notifier,
    deps.approvers,
    access,
    config.approvalTtlMs,
    logger.child({ component: "approvals" }),
    changes,
    clock,
  );
  const assignment: AssignmentService = new AssignmentService(
    db,
    providers,
    config,
    logger.child({ component: "assignment" }),
    approvals,
    inventory,
    access,
    changes,
    (provider) => sync.refreshAgents(provider),
    clock,
  );
  const check = new RoutingCheckService(
    db,
    sync,
    deps.alerts,
    logger.child({ component: "check" }),
    access,
    clock,
  );
  const settings = new NumberSettingsService(
    db,
    inventory,
    deps.approvers,
    (numberId) => check.resolveNumber(numberId),
    access,
    changes,
  );
  const status = new NumberStatusService(db, inventory, providers);
  const driftRepair = new DriftRepairService(
    db,
    inventory,
    providers,
    assignment,
    check,
    changes,
    access,
    clock,
  );
  const testCalls = new TestCallService(
    db,
    inventory,
    providers,
    deps.testCallNotifier,
    config,
    access,
    logger.child({ component: "test-calls" }),
    deps.testCallPoll,
    clock,
  );
  const overview = new OverviewService(db);
  let initialSync: Promise<unknown> | undefined;
  let closingIndex: Promise<void> | undefined;

  return {
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
    overview,
    /** Starts the initial sync in the background: start-up does not wait for providers. */
    startup(options: { initialSync: boolean }) {
      if (!options.initialSync) return;
      initialSync = sync
        .syncAll()
        .catch((error: unknown) => logger.error({ err: error }, "initial sync failed"));
    },
    /** Stops following test calls (they write their last state on drain). */
    shutdown() {
      testCalls.stop();
      closingIndex = pickerIndex?.close();
    },
    async drain() {
      await Promise.allSettled([initialSync, testCalls.settled(), closingIndex]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
