// Socket Mode: one WebSocket to Slack, opened with `apps.connections.open` at SLACK_API_URL
// (the SocketModeClient's own WebClient, so a fake Slack can serve it like every other call).
// Tracks whether the socket is connected (for /readyz), turns start failures into messages that
// name the variable to fix, and keeps reconnecting when Slack cannot be reached mid-run.
import { type Logger as SlackLogger, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../config";
import { boltLogger, type Logger } from "../logger";

export type SocketState = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface SocketModeTimings {
  /** Ping/pong timeout towards Slack; also the step of the reconnect back-off (n × this). Default 5000. */
  clientPingTimeoutMs?: number;
  /** How long without a ping from Slack before the socket is considered dead. Default 30000. */
  serverPingTimeoutMs?: number;
  /** Retries of one `apps.connections.open` call before it counts as failed. Default 5. */
  openRetries?: number;
  /** How long the first connection may take (apps.connections.open, WebSocket, hello). Default 30000. */
  connectTimeoutMs?: number;
}

export interface SocketMode {
  receiver: SocketModeReceiver;
  /** True while a socket is open and Slack has said hello on it. */
  connected(): boolean;
  state(): SocketState;
  /** Opens the first connection; rejects with an actionable message if Slack refuses or cannot be reached. */
  start(): Promise<void>;
  /** Closes the socket and stops reconnecting. */
  stop(): Promise<void>;
}

/** Slack's answers to apps.connections.open that no retry can fix, with what to do about each. */
const TOKEN_ERRORS: Record<string, string> = {
  invalid_auth: "Slack rejected SLACK_APP_TOKEN (invalid_auth)",
  not_authed: "Slack received no SLACK_APP_TOKEN (not_authed)",
  account_inactive: "the Slack app or workspace of SLACK_APP_TOKEN is inactive (account_inactive)",
  token_revoked: "SLACK_APP_TOKEN was revoked (token_revoked)",
  not_allowed_token_type: "SLACK_APP_TOKEN is not an app-level token (not_allowed_token_type)",
  missing_scope: "SLACK_APP_TOKEN lacks the connections:write scope (missing_scope)",
};

const HOW_TO_FIX =
  "Create an app-level token with the connections:write scope (Slack app settings → Basic Information → App-Level Tokens), set it as SLACK_APP_TOKEN, and turn on Socket Mode (Slack app settings → Socket Mode, or manifest.socket.yml).";

export function createSocketMode(
  config: Config,
  logger: Logger,
  clientOptions: { slackApiUrl?: string },
  timings: SocketModeTimings = {},
): SocketMode {
  const log = logger.child({ component: "socket-mode" });
  const appToken = config.slack.appToken;
  if (!appToken) throw new Error("Socket Mode needs SLACK_APP_TOKEN");
  const receiver = new SocketModeReceiver({
    appToken,
    logger: withoutPayloads(boltLogger(logger)),
    clientPingTimeout: timings.clientPingTimeoutMs ?? 5000,
    serverPingTimeout: timings.serverPingTimeoutMs ?? 30_000,
    // The SocketModeClient builds its own WebClient from these options only (not from the App's
    // clientOptions): without slackApiUrl here it would always call slack.com.
    installerOptions: {
      clientOptions: {
        ...(clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {}),
        retryConfig: {
          retries: timings.openRetries ?? 5,
          factor: 2,
          minTimeout: 500,
          maxTimeout: 10_000,
        },
        timeout: 10_000,
      },
    },
  });
  const client = receiver.client;
  let state: SocketState = "disconnected";
  let stopping = false;

  client.on("connecting", () => {
    state = "connecting";
  });
  client.on("connected", () => {
    if (state !== "connected") log.info({ host: safeHost(client) }, "Socket Mode connected");
    state = "connected";
  });
  client.on("reconnecting", () => {
    state = "reconnecting";
    log.info("Socket Mode reconnecting (a new apps.connections.open)");
  });
  // Emitted whenever the socket goes away: a `disconnect` from Slack, a dropped connection, a
  // missed ping. The client reconnects by itself unless we are stopping.
  client.on("close", () => {
    if (state === "connected" && !stopping)
      log.warn("Socket Mode connection closed; reconnecting (not ready until it is back)");
    state = stopping ? "disconnected" : "reconnecting";
  });
  client.on("disconnected", () => {
    state = "disconnected";
  });

  // A reconnect whose apps.connections.open fails for good (network error, HTTP 5xx after retries)
  // rejects inside the client's reconnect timer, where nothing handles it: the process would exit
  // on an unhandled rejection. Catch that, say why, and let the client's own back-off try again by
  // emitting "close" once more. The first start calls the original and reports failures itself.
  const originalStart = client.start.bind(client);
  const reconnect = async () => {
    if (stopping) return undefined as never;
    try {
      const result = await originalStart();
      if (stopping) await client.disconnect();
      return result;
    } catch (error) {
      if (stopping) return undefined as never;
      log.error({ err: error }, `Socket Mode could not reconnect: ${describe(error)}; trying again`);
      setImmediate(() => client.emit("close"));
      return undefined as never;
    }
  };
  // The client's "close" handler looks up `this.start` when it fires: reconnects go through ours.
  (client as unknown as { start: typeof reconnect }).start = reconnect;

  return {
    receiver,
    connected: () => state === "connected" && !stopping,
    state: () => state,
    async start() {
      stopping = false;
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = timings.connectTimeoutMs ?? 30_000;
      try {
        await Promise.race([
          originalStart(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no Socket Mode hello within ${timeoutMs / 1000} s`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        stopping = true;
        await client.disconnect().catch(() => undefined);
        state = "disconnected";
        throw new Error(startFailure(error, config));
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      stopping = true;
      // The close handshake waits for Slack's close frame (up to 30 s in the client): don't hold shutdown on it.
      await Promise.race([
        client.disconnect(),
        new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
      ]).catch((error: unknown) => log.warn({ err: error }, "Socket Mode did not close cleanly"));
      state = "disconnected";
    },
  };
}

/**
 * The Socket Mode client and receiver log every frame and ack body at debug level. Frames carry
 * what users typed and response URLs; like the HTTP path, log what happened, never the payload.
 */
const PAYLOAD_LINES = [
  /^(Received a message on the WebSocket): /,
  /^(Sending a WebSocket message): /,
  /^(Calling ack\(\) - type: \S+, envelope_id: \S+), data: /,
  /^(ack\(\) call begins) \(body: /,
  /^(ack\(\) response sent) \(body: /,
  /^(Unable to parse an incoming WebSocket message) \(will ignore\): /,
];

export function withoutPayloads(logger: SlackLogger): SlackLogger {
  const debug = logger.debug.bind(logger);
  return Object.assign(Object.create(logger) as SlackLogger, {
    debug: (...args: unknown[]) => {
      const first = typeof args[0] === "string" ? args[0] : undefined;
      const match = first ? PAYLOAD_LINES.map((re) => re.exec(first)).find(Boolean) : undefined;
      if (match) return debug(`${match[1]} (payload not logged)`);
      return debug(...args);
    },
  });
}

function safeHost(client: unknown): string | undefined {
  // The ticket in the URL is a credential of sorts: log the host only.
  const url = (client as { connectionResponse?: { url?: string } }).connectionResponse?.url;
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code) return TOKEN_ERRORS[code] ?? `Slack answered apps.connections.open with ${code}`;
  return error instanceof Error ? error.message : String(error);
}

function startFailure(error: unknown, config: Config): string {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code && TOKEN_ERRORS[code]) return `${TOKEN_ERRORS[code]}. ${HOW_TO_FIX}`;
  if (error instanceof webApi.WebAPIPlatformError)
    return `Slack refused to open a Socket Mode connection (${code ?? "unknown error"}). ${HOW_TO_FIX}`;
  const where = config.slack.apiUrl ?? "https://slack.com/api/";
  return `could not open a Socket Mode connection through ${where}apps.connections.open (${
    error instanceof Error ? error.message : String(error)
  }). Check the network to Slack (and SLACK_API_URL if set), then start again.`;
}
