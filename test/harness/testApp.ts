// The real Switchboard, started in-process on a random port with a fresh database, talking to a
// fake Slack Web API on loopback. Providers are whatever the test mounts (nock or loopback fakes).
import { type Config, loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { type Switchboard, startSwitchboard } from "../../src/server";
import type { PollPolicy } from "../../src/services/testCalls";
import { type FakeSlack, startFakeSlack } from "./fakeSlack";
import { SlackDriver } from "./slackDriver";
import { createTestDatabase } from "./testDatabase";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token";

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
}

export interface TestApp {
  url: string;
  slack: FakeSlack;
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
  const ownSlack = !options.slack;
  const slack = options.slack ?? (await startFakeSlack({ token: BOT_TOKEN }));
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
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
    database: options.databaseUrl ? { url: options.databaseUrl } : database!.target,
    providerHttp: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 1000 },
    slackRetries: options.slackRetries ?? 0,
    schedules: options.schedules ?? false,
    initialSync: options.initialSync ?? false,
    testCallPoll: options.testCallPoll ?? { intervalsMs: [20], maxPolls: 20 },
  });
  const url = `http://127.0.0.1:${switchboard.port}`;
  return {
    url,
    slack,
    send: new SlackDriver(url, SIGNING_SECRET, () => slack.responseUrl()),
    switchboard,
    config,
    db: switchboard.database.prisma,
    databaseUrl: options.databaseUrl ?? database?.url,
    logs,
    stop: async () => {
      await switchboard.stop();
      await database?.drop();
      if (ownSlack) await slack.close();
    },
  };
}
