// Composition root: config → database → providers → services → Slack app → schedules.
// Tests start exactly this, in-process, against a fake Slack API and nock'd providers.
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "./config";
import { type Database, type DatabaseTarget, openDatabase } from "./db/database";
import { leaseCoordinator } from "./jobs/leaseCoordinator";
import { Inflight } from "./lib/inflight";
import type { Logger } from "./logger";
import type { ProviderHttpOptions } from "./providers/http";
import { createProviders } from "./providers/registry";
import { recordAudit } from "./services/audit";
import { createServices, type Services } from "./services/index";
import type { PollPolicy } from "./services/testCalls";
import { slackAlertNotifier } from "./slack/adapters/alertNotifier";
import { slackApprovalNotifier } from "./slack/adapters/approvalNotifier";
import { slackApproverDirectory } from "./slack/adapters/approverDirectory";
import { slackTestCallNotifier } from "./slack/adapters/testCallNotifier";
import { createBoltApp, resolveBotIdentity, slackClientOptions } from "./slack/app";
import { registerListeners } from "./slack/listeners/index";

export interface StartOptions {
  logger: Logger;
  /** Overrides the database chosen from the config (tests use a fresh one). */
  database?: DatabaseTarget;
  /** Overrides provider timeouts and retry delays (tests keep them short). */
  providerHttp?: Partial<ProviderHttpOptions>;
  slackRetries?: number;
  /** Start the cron schedules (off in most tests, which trigger jobs directly). */
  schedules?: boolean;
  /** How test calls are followed at the provider (tests shorten the waits). */
  testCallPoll?: PollPolicy;
  /** Sync providers right after start (default on). */
  initialSync?: boolean;
}

export interface Switchboard {
  port: number;
  app: App;
  database: Database;
  services: Services;
  stop(): Promise<void>;
}

export async function startSwitchboard(config: Config, options: StartOptions): Promise<Switchboard> {
  const { logger } = options;
  const target: DatabaseTarget =
    options.database ??
    (config.database.url ? { url: config.database.url } : { dataDir: config.database.dataDir });
  const database = await openDatabase(target);
  logger.info(
    { database: database.kind, migrationsApplied: database.applied },
    database.kind === "pglite" ? `embedded database in ${config.database.dataDir}` : "PostgreSQL database",
  );

  const inflight = new Inflight();
  let stopping = false;
  try {
    const identity = await resolveBotIdentity(config, logger);
    const clientOptions = slackClientOptions(config, options.slackRetries);
    const app = createBoltApp({
      config,
      logger,
      identity,
      inflight,
      clientOptions,
      isReady: async () => !stopping && (await database.ping()),
      onForeignTeam: (team) =>
        recordAudit(database.prisma, {
          actor: "unknown",
          action: "foreign_workspace_request",
          source: "system",
          outcome: "refused",
          detail: `a correctly signed request claimed workspace ${team}`,
        }),
    });
    const providers = createProviders(config.providers, options.providerHttp);
    const services = createServices({
      config,
      logger,
      db: database.prisma,
      providers,
      notifier: slackApprovalNotifier(app.client, config.approvalChannelId),
      approvers: slackApproverDirectory(
        app.client,
        config.approverUserIds,
        config.approverUsergroupId,
        logger,
      ),
      alerts: slackAlertNotifier(app.client, config.alertChannelId),
      testCallNotifier: slackTestCallNotifier(app.client),
      ...(options.testCallPoll ? { testCallPoll: options.testCallPoll } : {}),
      ...(database.kind === "postgresql" ? { runCoordinator: leaseCoordinator(database.prisma) } : {}),
    });
    registerListeners(app, { config, logger, services });
    await services.startup({
      schedules: options.schedules ?? true,
      initialSync: options.initialSync ?? true,
    });

    const started = (config.slack.appToken ? await app.start() : await app.start(config.port)) as
      | Server
      | undefined;
    const address = started?.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, mode: config.slack.appToken ? "socket" : "http" }, "Switchboard is listening");

    return {
      port,
      app,
      database,
      services,
      stop: async () => {
        if (stopping) return;
        stopping = true;
        logger.info("stopping: no new requests; finishing work in flight");
        services.shutdown();
        await app
          .stop()
          .catch((error: unknown) => logger.warn({ err: error }, "Slack receiver did not stop cleanly"));
        const drained = await inflight.drain(25_000);
        if (!drained) logger.warn({ pending: inflight.size }, "gave up waiting for work in flight");
        await services.drain();
        await database.close();
        logger.info("stopped");
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
