// The embedded-database floor: bare Bolt plus a bare PGlite reopened on an existing folder (argv[2]),
// answering one query, run as plain node.
import { PGlite } from "@electric-sql/pglite";
import { App, LogLevel } from "@slack/bolt";

const db = new PGlite(process.argv[2]);
await db.query('SELECT count(*) FROM "PhoneNumber"');
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
const server = await app.start(0);
process.once("SIGTERM", async () => {
  await app.stop();
  await db.close();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ msg: "listening", port: server.address().port })}\n`);
