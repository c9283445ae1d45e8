// The real Switchboard, started in-process on a random port with a fresh database, talking to a
// fake Slack Web API on loopback. Providers are whatever the test mounts (nock or loopback fakes).
import { type Config, loadConfig } from "../../src/config";
import type { Clock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import { type Switchboard, startSwitchboard } from "../../src/server";
import type { PollPolicy } from "../../src/services/testCalls";
import { type FakeSlack, startFakeSlack } from "./fakeSlack";
import type { FakeSocketMode } from "./fakeSocketMode";
import { SlackDriver, socketTransport } from "./slackDriver";
import { borrowSharedDatabase, type SharedTestDatabase } from "./testDatabase";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token";
export const APP_TOKEN = "xapp-1-A0TEST-1-test-app-level-token";

/** How Slack reaches the app: signed HTTP posts, or envelopes over a Socket Mode WebSocket. */
export type Transport = "http" | "socket";

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  /** Run the cron schedules (most tests trigger jobs directly instead). */
  schedules?: boolean;
  /** Run the start-up sync (off by default so tests control when inventory is read). */
  initialSync?: boolean;
  /** Share a fake Slack between several app instances. */
  slack?: FakeSlack;
  /** Use this database URL instead of a fresh one (several instances on one PostgreSQL). */
  databaseUrl?: string;
  /** Slack Web API retries (default 0: failures surface at once). */
  slackRetries?: number;
  /** How test calls are followed (default: 20 ms between polls, at most 20 polls). */
  testCallPoll?: PollPolicy;
  /** Provider HTTP timeouts and back-off (default: 1 s timeout, 5–50 ms back-off). */
  providerHttp?: { timeoutMs?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Default "http". "socket" sets SLACK_APP_TOKEN (no signing secret) and drives the app over the fake socket. */
  transport?: Transport;
  /** The time as the services read it (default: real time); see test/harness/testClock.ts. */
  clock?: Clock;
}

export interface TestApp {
  /** http://127.0.0.1:PORT — /slack/events in HTTP mode, /healthz and /readyz in both. */
  url: string;
  transport: Transport;
  slack: FakeSlack;
  /** The fake Socket Mode server (socket transport only). */
  socket: FakeSocketMode | undefined;
  send: SlackDriver;
  switchboard: Switchboard;
  config: Config;
  db: Switchboard["database"]["prisma"];
  /** The PostgreSQL database this app runs on (unset on PGlite). */
  databaseUrl: string | undefined;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const transport = options.transport ?? "http";
  const ownSlack = !options.slack;
  const slack =
    options.slack ??
    (await startFakeSlack({ token: BOT_TOKEN, ...(transport === "socket" ? { appToken: APP_TOKEN } : {}) }));
  if (transport === "socket" && !slack.socket)
    throw new Error("a shared fakeSlack needs appToken for Socket Mode");
  // One database per test file, emptied for each app (see borrowSharedDatabase); an app started
  // while another still holds it gets its own.
  const database: SharedTestDatabase | undefined = options.databaseUrl
    ? undefined
    : await borrowSharedDatabase();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(transport === "socket" ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    LOG_LEVEL: "debug",
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    secrets: [
      BOT_TOKEN,
      SIGNING_SECRET,
      ...Object.values(options.env ?? {}).filter((v): v is string => !!v && /key|secret|token/i.test(v)),
    ],
    destination: { write: (line: string) => void logs.push(line) },
  });
  const switchboard = await startSwitchboard(config, {
    logger,
    database: options.databaseUrl ? { url: options.databaseUrl } : database!.database,
    providerHttp: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 1000, ...options.providerHttp },
    slackRetries: options.slackRetries ?? 0,
    schedules: options.schedules ?? false,
    initialSync: options.initialSync ?? false,
    testCallPoll: options.testCallPoll ?? { intervalsMs: [20], maxPolls: 20 },
    // Short pings and back-off so a reconnect takes ~1.5 s instead of 5 s.
    socketMode: { clientPingTimeoutMs: 1500, openRetries: 2, connectTimeoutMs: 10_000 },
    host: "127.0.0.1",
    ...(options.clock ? { clock: options.clock } : {}),
  }).catch(async (error: unknown) => {
    // A start that fails (the point of some tests) must not leave a database or a fake behind.
    await database?.release();
    if (ownSlack) await slack.close();
    throw error;
  });
  const url = `http://127.0.0.1:${switchboard.port}`;
  const socket = transport === "socket" ? slack.socket : undefined;
  return {
    url,
    transport,
    slack,
    socket,
    send: new SlackDriver(
      url,
      SIGNING_SECRET,
      () => slack.responseUrl(),
      socket ? socketTransport(socket) : undefined,
    ),
    switchboard,
    config,
    db: switchboard.database.prisma,
    databaseUrl: options.databaseUrl ?? database?.url,
    logs,
    stop: async () => {
      await switchboard.stop();
      await database?.release();
      if (ownSlack) await slack.close();
    },
  };
}
