// The floor: a bare Bolt app answering the same signed slash command, nothing else.
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: "xoxb-bench",
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "bench-signing-secret",
  botId: "B0BENCH",
  botUserId: "U0BENCH",
  logLevel: LogLevel.ERROR,
});
app.command("/numbers", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "help" });
});
const server = (await app.start(0)) as import("node:http").Server;
const address = server.address() as { port: number };
process.once("SIGTERM", async () => {
  await app.stop();
  process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
});
// Announce the port only once SIGTERM is handled, so the harness can stop us right away.
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
