// Bolt wiring: HTTP mode on PORT (one endpoint, /slack/events, for everything Slack sends) or
// Socket Mode when SLACK_APP_TOKEN is set (src/slack/socketMode.ts; health is then served by
// src/healthServer.ts). /healthz and /readyz on PORT in both.
import { randomUUID } from "node:crypto";
import { App, type CustomRoute, type SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../config";
import { type HealthRoute, healthRoutes, type Readiness } from "../healthServer";
import type { Inflight } from "../lib/inflight";
import { type RequestOutcome, requestContext } from "../lib/requestContext";
import { boltLogger, type Logger } from "../logger";
import { type Metrics, metricsRoute, requestKindOf } from "../metrics";

export interface BotIdentity {
  botId: string;
  botUserId: string;
  /** The workspace this bot serves; requests from any other are refused. */
  teamId?: string;
  /** The Enterprise Grid org it belongs to, if any; a request naming another is refused. */
  enterpriseId?: string;
}

export interface SlackClientOptions {
  slackApiUrl?: string;
  retryConfig: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
}

export function slackClientOptions(config: Config, retries = 3): SlackClientOptions {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    // Bolt's default is 10 retries over ~30 minutes; a user waiting in Slack wants an answer sooner.
    retryConfig: { retries, factor: 2, minTimeout: 300, maxTimeout: 3000 },
  };
}

/**
 * Asks Slack who the bot is. Failing here must not stop the bot from starting (Slack may be briefly
 * unreachable); Bolt then verifies the token on the first request instead.
 */
export async function resolveBotIdentity(config: Config, logger: Logger): Promise<BotIdentity | undefined> {
  const client = new webApi.WebClient(config.slack.botToken, {
    ...slackClientOptions(config, 0),
    timeout: 5000,
    logger: boltLogger(logger),
  });
  try {
    const auth = await client.auth.test();
    if (auth.bot_id && auth.user_id) {
      return {
        botId: auth.bot_id,
        botUserId: auth.user_id,
        ...(auth.team_id ? { teamId: auth.team_id } : {}),
        ...(auth.enterprise_id ? { enterpriseId: auth.enterprise_id } : {}),
      };
    }
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (
      code === "invalid_auth" ||
      code === "not_authed" ||
      code === "account_inactive" ||
      code === "token_revoked"
    ) {
      throw new Error(
        `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again from the Slack app settings → OAuth & Permissions.`,
      );
    }
    logger.warn(
      { err: error },
      "could not reach Slack to verify the bot token; it will be verified on the first request",
    );
  }
  return undefined;
}

export interface CreateAppOptions {
  config: Config;
  logger: Logger;
  identity: BotIdentity | undefined;
  inflight: Inflight;
  readiness: () => Promise<Readiness>;
  clientOptions: SlackClientOptions;
  /** Socket Mode: the receiver from createSocketMode. Unset: HTTP mode on PORT. */
  socketReceiver?: SocketModeReceiver;
  /** Called for a correctly signed request from another workspace (refused, never handled). */
  onForeignTeam?: (teamId: string) => Promise<void>;
  /** Counts every request and its ack latency; HTTP mode also serves it at /metrics. */
  metrics?: Metrics;
}

export function createBoltApp(options: CreateAppOptions): App {
  const { config, logger, identity } = options;
  const common = {
    token: config.slack.botToken,
    logger: boltLogger(logger),
    clientOptions: options.clientOptions,
    // Bolt's conversation store (a per-request lookup in memory) serves conversation state we never use.
    convoStore: false as const,
    ...(identity
      ? { botId: identity.botId, botUserId: identity.botUserId }
      : { tokenVerificationEnabled: false }),
  };
  const routes: Record<string, HealthRoute> = {
    ...healthRoutes(options.readiness),
    ...(options.metrics ? { "/metrics": metricsRoute(options.metrics) } : {}),
  };
  const customRoutes: CustomRoute[] = Object.entries(routes).map(([path, handler]) => ({
    path,
    method: ["GET"],
    handler: handler as HealthRoute,
  }));
  const app = options.socketReceiver
    ? new App({ ...common, socketMode: true, receiver: options.socketReceiver })
    : new App({
        ...common,
        customRoutes,
        signingSecret: config.slack.signingSecret!,
        processBeforeResponse: false,
      });

  // Every listener runs inside this middleware, including the work it does after ack():
  // shutdown waits for it instead of cutting a provider write in half.
  app.use(async ({ next, body, ack }) => {
    const team = teamOf(body);
    const enterprise = enterpriseOf(body);
    const foreignEnterprise = identity?.teamId && enterprise && enterprise !== identity.enterpriseId;
    if ((identity?.teamId && team && team !== identity.teamId) || foreignEnterprise) {
      // Signed with our secret yet from another workspace or org: a replay or tampering. Change nothing.
      logger.warn({ team, enterprise }, "refused a request from another workspace");
      const context = requestContext.getStore();
      if (context) context.outcome = "foreign_workspace";
      await options
        .onForeignTeam?.(foreignEnterprise ? `${team} of enterprise ${enterprise}` : team!)
        .catch(() => undefined);
      if (typeof ack === "function")
        await (ack as (r?: unknown) => Promise<void>)("This Switchboard serves another workspace.").catch(
          () => undefined,
        );
      return;
    }
    // The detail (command, action id) for debugging; the info line per request is written on the way out.
    if (logger.isLevelEnabled("debug")) logger.debug({ kind: describe(body) }, "slack request");
    await options.inflight.track(next());
  });
  observeRequests(app, logger, options.metrics);
  return app;
}

/**
 * Wraps Bolt's entry point (both receivers call `app.processEvent`): each request gets its context
 * (request id, outcome), its ack timed, and one info line when handled: kind, user, outcome, ms.
 */
function observeRequests(app: App, logger: Logger, metrics: Metrics | undefined): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const started = performance.now();
    const kind = requestKindOf(event.body);
    const context: { requestId: string; outcome?: RequestOutcome } = { requestId: randomUUID() };
    let ackMs: number | undefined;
    const ack = event.ack;
    event.ack = (response) => {
      ackMs ??= performance.now() - started;
      metrics?.ack(kind, ackMs / 1000);
      return ack(response);
    };
    return requestContext.run(context, async () => {
      try {
        await processEvent(event);
      } catch (error) {
        context.outcome ??= "error";
        throw error;
      } finally {
        const ms = performance.now() - started;
        const outcome = context.outcome ?? "ok";
        metrics?.request(kind, outcome, ms / 1000);
        logger.info(
          {
            kind,
            user: userOf(event.body),
            outcome,
            ms: Math.round(ms * 10) / 10,
            ...(ackMs === undefined ? {} : { ackMs: Math.round(ackMs * 10) / 10 }),
          },
          `handled ${kind}: ${outcome}`,
        );
      }
    });
  };
}

function userOf(body: unknown): string | undefined {
  const b = body as { user_id?: string; user?: { id?: string } | string; event?: { user?: unknown } };
  if (b.user_id) return b.user_id;
  if (typeof b.user === "object" && b.user?.id) return b.user.id;
  if (typeof b.user === "string") return b.user;
  return typeof b.event?.user === "string" ? b.event.user : undefined;
}

function teamOf(body: unknown): string | undefined {
  const b = body as { team_id?: string; team?: { id?: string } | null; user?: { team_id?: string } };
  return b.team?.id ?? b.team_id ?? b.user?.team_id;
}

function enterpriseOf(body: unknown): string | undefined {
  const b = body as {
    enterprise_id?: string;
    enterprise?: { id?: string } | null;
    user?: { enterprise_id?: string };
  };
  return b.enterprise?.id ?? b.enterprise_id ?? b.user?.enterprise_id ?? undefined;
}

/** What kind of request this is, for the log (never the payload: it may hold user text). */
function describe(body: unknown): string {
  const b = body as {
    command?: string;
    type?: string;
    event?: { type?: string };
    actions?: { action_id?: string }[];
  };
  if (b.command) return `command ${b.command}`;
  if (b.event?.type) return `event ${b.event.type}`;
  if (b.actions?.[0]?.action_id) return `${b.type} ${b.actions[0].action_id}`;
  return b.type ?? "unknown";
}
