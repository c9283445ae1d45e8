// Composition root: config → database → providers → services → Slack app → schedules (src/jobs).
// Tests start exactly this, in-process, against a fake Slack API and nock'd providers.
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "./config";
import { type Database, type DatabaseTarget, openDatabase } from "./db/database";
import { type HealthServer, healthRoutes, type Readiness, startHealthServer } from "./healthServer";
import type { Scheduler } from "./jobs/scheduler";
import { startSchedules } from "./jobs/schedules";
import type { Clock } from "./lib/clock";
import { Inflight } from "./lib/inflight";
import type { Logger } from "./logger";
import { createMetrics, metricsRoute } from "./metrics";
import type { ProviderHttpOptions } from "./providers/http";
import { createProviders } from "./providers/registry";
import { recordAudit } from "./services/audit";
import { createServices, type Services } from "./services/index";
import type { PollPolicy } from "./services/testCalls";
import { slackAlertNotifier } from "./slack/adapters/alertNotifier";
import { slackApprovalNotifier } from "./slack/adapters/approvalNotifier";
import { slackApproverDirectory } from "./slack/adapters/approverDirectory";
import { slackPeopleDirectory } from "./slack/adapters/peopleDirectory";
import { slackTestCallNotifier } from "./slack/adapters/testCallNotifier";
import { createBoltApp, resolveBotIdentity, slackClientOptions } from "./slack/app";
import { registerListeners } from "./slack/listeners/index";
import { ListenerRouter } from "./slack/router";
import { createSocketMode, type SocketMode, type SocketModeTimings } from "./slack/socketMode";

export interface StartOptions {
  logger: Logger;
  /**
   * Overrides the database chosen from the config (tests use a fresh one). An already-open
   * Database is used as is and left open at stop: its opener owns it (tests reuse one per file).
   */
  database?: DatabaseTarget | Database;
  /** Overrides provider timeouts and retry delays (tests keep them short). */
  providerHttp?: Partial<ProviderHttpOptions>;
  slackRetries?: number;
  /** Start the cron schedules (off in most tests, which trigger jobs directly). */
  schedules?: boolean;
  /** How test calls are followed at the provider (tests shorten the waits). */
  testCallPoll?: PollPolicy;
  /** Sync providers right after start (default on). */
  initialSync?: boolean;
  /** Socket Mode pings, reconnect back-off and connect timeout (tests shorten them). */
  socketMode?: SocketModeTimings;
  /** Interface the HTTP server binds to (default: all, like Bolt's HTTP receiver). */
  host?: string;
  /** The time as services read it (approval expiry, snoozes, test-call limits); default: real time. */
  clock?: Clock;
  /** Aborted (SIGTERM during start-up): start-up stops at the next step, closes what it opened, rejects. */
  signal?: AbortSignal;
}

export interface Switchboard {
  /** The port /healthz and /readyz (and, in HTTP mode, /slack/events) are served on. */
  port: number;
  mode: "http" | "socket";
  app: App;
  /** Socket Mode only: the connection to Slack. */
  socket?: SocketMode;
  database: Database;
  services: Services;
  /**
   * Resolves once every Slack request received so far has finished its work, including what it
   * does after ack() (true), or after `timeoutMs` with work still running (false). Tests use it to
   * assert that something did not happen, instead of sleeping.
   */
  settled(timeoutMs?: number): Promise<boolean>;
  /** Stops the cron schedules and waits for runs already started (stop() does this too). */
  stopSchedules(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSwitchboard(config: Config, options: StartOptions): Promise<Switchboard> {
  const { logger } = options;
  const given = options.database;
  const borrowed = given && "prisma" in given ? given : undefined;
  const target: DatabaseTarget =
    (given && !("prisma" in given) ? given : undefined) ??
    (config.database.url ? { url: config.database.url } : { dataDir: config.database.dataDir });
  options.signal?.throwIfAborted();
  const database = borrowed ?? (await openDatabase(target));
  const closeDatabase = () => (borrowed ? Promise.resolve() : database.close());
  logger.info(
    { database: database.kind, migrationsApplied: database.applied },
    database.kind === "pglite" ? `embedded database in ${config.database.dataDir}` : "PostgreSQL database",
  );

  const inflight = new Inflight();
  let stopping = false;
  let socket: SocketMode | undefined;
  let health: HealthServer | undefined;
  let started: Services | undefined;
  let scheduler: Scheduler | undefined;
  const readiness = async (): Promise<Readiness> => {
    const reasons: string[] = [];
    if (stopping) reasons.push("stopping");
    if (socket && !socket.connected())
      reasons.push(`Socket Mode is ${socket.state()}, not connected to Slack`);
    if (!(await database.ping())) reasons.push("the database is not answering");
    return { ready: reasons.length === 0, reasons };
  };
  const metrics = createMetrics(database.prisma);
  // Prisma prepares its query path on the first query (tens of ms, seconds on a loaded host): pay it
  // beside the Slack token check, before listening, so the first /readyz and command do not.
  const databaseAnswered = database.ping();
  try {
    options.signal?.throwIfAborted();
    const identity = await resolveBotIdentity(config, logger);
    options.signal?.throwIfAborted();
    const clientOptions = slackClientOptions(config, options.slackRetries);
    socket = config.slack.appToken
      ? createSocketMode(config, logger, clientOptions, options.socketMode)
      : undefined;
    const app = createBoltApp({
      config,
      logger,
      identity,
      inflight,
      clientOptions,
      readiness,
      metrics,
      ...(socket ? { socketReceiver: socket.receiver } : {}),
      onForeignTeam: (team) =>
        recordAudit(database.prisma, {
          actor: "unknown",
          action: "foreign_workspace_request",
          source: "system",
          outcome: "refused",
          detail: `a correctly signed request claimed workspace ${team}`,
        }),
    });
    const providers = createProviders(config.providers, {
      ...options.providerHttp,
      observer: metrics.providers,
      logger,
    });
    const services = createServices({
      config,
      logger,
      db: database.prisma,
      inventoryChanges: database.inventoryChanges,
      providers,
      notifier: slackApprovalNotifier(app.client, config.approvalChannelId),
      approvers: slackApproverDirectory(
        app.client,
        config.approverUserIds,
        config.approverUsergroupId,
        logger,
      ),
      people: slackPeopleDirectory(app.client, logger, options.clock),
      alerts: slackAlertNotifier(app.client, config.alertChannelId),
      testCallNotifier: slackTestCallNotifier(app.client),
      ...(options.testCallPoll ? { testCallPoll: options.testCallPoll } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const router = new ListenerRouter(app.client);
    registerListeners(router, { services, logger, defaultRegion: config.defaultRegion });
    router.install(app);
    started = services;
    services.startup({ initialSync: options.initialSync ?? true });
    if (options.schedules ?? true) {
      scheduler = startSchedules({
        services,
        logger,
        checkSchedule: config.checkSchedule,
        alertsConfigured: Boolean(config.alertChannelId),
        leases: { db: database.prisma, distributed: database.kind === "postgresql" },
      });
    }

    if (!(await databaseAnswered))
      logger.warn("the database did not answer its first query within 2 s; /readyz says so until it does");
    options.signal?.throwIfAborted();
    let port: number;
    if (socket) {
      // Health first: an orchestrator sees "alive, not ready" while the socket connects.
      const routes = { ...healthRoutes(readiness), "/metrics": metricsRoute(metrics) };
      health = await startHealthServer(config.port, routes, options.host);
      port = health.port;
      options.signal?.throwIfAborted();
      await socket.start();
    } else {
      // HTTPReceiver.start resolves with its node:http Server.
      const server = (await app.start(config.port)) as Server;
      const address = server.address();
      port = typeof address === "object" && address ? address.port : config.port;
    }
    const mode = socket ? "socket" : "http";
    if (options.signal?.aborted) {
      await (socket ? socket.stop() : app.stop()).catch(() => undefined);
      options.signal.throwIfAborted();
    }
    logger.info({ port, mode }, "Switchboard is listening");

    return {
      port,
      mode,
      app,
      ...(socket ? { socket } : {}),
      database,
      services,
      settled: (timeoutMs = 10_000) => inflight.drain(timeoutMs),
      stopSchedules: async () => {
        scheduler?.stop();
        await scheduler?.drain();
      },
      stop: async () => {
        if (stopping) return;
        stopping = true;
        logger.info("stopping: no new requests; finishing work in flight");
        scheduler?.stop();
        services.shutdown();
        await (socket ? socket.stop() : app.stop()).catch((error: unknown) =>
          logger.warn({ err: error }, "Slack receiver did not stop cleanly"),
        );
        // One 25 s budget for everything still running, so a stop always fits the orchestrator's
        // grace period (docker-compose: 40 s): requests first, then scheduled jobs and background
        // syncs, which are idempotent and simply run again on the next slot.
        const deadline = Date.now() + 25_000;
        const drained = await inflight.drain(25_000);
        if (!drained) logger.warn({ pending: inflight.size }, "gave up waiting for work in flight");
        let timer: NodeJS.Timeout | undefined;
        const jobsDone = await Promise.race([
          Promise.all([scheduler?.drain(), services.drain()]).then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
        if (!jobsDone) logger.warn("gave up waiting for scheduled jobs and background syncs");
        await health?.close();
        await closeDatabase();
        logger.info("stopped");
      },
    };
  } catch (error) {
    stopping = true;
    scheduler?.stop();
    started?.shutdown();
    await socket?.stop().catch(() => undefined);
    await Promise.allSettled([scheduler?.drain(), started?.drain()]);
    await health?.close().catch(() => undefined);
    await closeDatabase();
    throw error;
  }
}
