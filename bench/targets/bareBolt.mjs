// The floor: a bare Bolt app answering the same signed slash command, nothing else, run as plain
// node (no TypeScript loader), as the bot itself runs from its build.
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: "xoxb-bench",
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  botId: "B0BENCH",
  botUserId: "U0BENCH",
  logLevel: LogLevel.ERROR,
});
app.command("/numbers", async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: "help" });
});
// The typeahead's floor: 100 fixed options the size of a number picker's, no search at all.
const options = Array.from({ length: 100 }, (_, i) => ({
  text: { type: "plain_text", text: `+1 415 555 ${String(1000 + i)} Line ${i} → Agent vapi ${i % 300}` },
  value: `cmx602npu0000tb7daomit${String(i).padStart(3, "0")}`,
}));
app.options(/.*/, async ({ ack }) => {
  await ack({ options });
});
const server = await app.start(0);
process.once("SIGTERM", async () => {
  await app.stop();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ msg: "listening", port: server.address().port })}\n`);
