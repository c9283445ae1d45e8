// The fake Slack Web API in a process of its own, so the bot's figures do not include it.
import { startFakeSlack } from "../test/harness/fakeSlack";

const slack = await startFakeSlack();
process.once("SIGTERM", async () => {
  await slack.close();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ msg: "listening", apiUrl: slack.apiUrl })}\n`);
