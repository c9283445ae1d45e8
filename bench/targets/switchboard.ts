// Switchboard as `npm start` runs it (embedded database in DATA_DIR, or DATABASE_URL), with a fake Slack on loopback.
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startSwitchboard } from "../../src/server";
import { startFakeSlack } from "../../test/harness/fakeSlack";

const slack = await startFakeSlack();
const config = loadConfig({
  SLACK_BOT_TOKEN: "xoxb-bench",
  SLACK_SIGNING_SECRET: process.env.SLACK_SIGNING_SECRET ?? "bench-signing-secret",
  SLACK_API_URL: slack.apiUrl,
  PORT: "0",
  DATA_DIR: process.env.DATA_DIR ?? "./data-bench",
  DATABASE_URL: process.env.DATABASE_URL,
  LOG_LEVEL: "error",
});
const switchboard = await startSwitchboard(config, {
  logger: createLogger({ level: "error", secrets: [] }),
  schedules: false,
});
process.once("SIGTERM", async () => {
  await switchboard.stop();
  await slack.close();
  process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
});
// Announce the port only once SIGTERM is handled, so the harness can stop us right away.
process.stdout.write(`${JSON.stringify({ port: switchboard.port })}\n`);
