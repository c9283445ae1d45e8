// `npm run playground [-- --port N] [-- --data DIR]`: start the playground and print its URL.
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR, POLICY_VARIABLES, startPlayground } from "./playground";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PLAYGROUND_PORT ?? "3100" },
    data: { type: "string", default: process.env.PLAYGROUND_DATA_DIR ?? DEFAULT_DATA_DIR },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    "npm run playground [-- --port 3100] [-- --data ./data-playground]\n" +
      "Starts Switchboard against a simulated Slack workspace and simulated Retell, Vapi and Bland\n" +
      "accounts, all on this machine, and serves a page to use it. Every start is the same fresh world.\n" +
      `The bot's policy can be set as for npm start: ${POLICY_VARIABLES.join(", ")}.\n`,
  );
  process.exit(0);
}

const started = performance.now();
process.stdout.write("Starting the Switchboard playground (bot, simulated Slack, simulated providers)…\n");
const playground = await startPlayground({ port: Number(values.port), dataDir: values.data }).catch(
  (error: unknown) => {
    const detail = process.env.LOG_LEVEL === "debug" ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`The playground could not start: ${detail ?? String(error)}\n`);
    process.exit(1);
  },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  [
    "",
    `  Switchboard playground: ${playground.url}`,
    "",
    `  Ready in ${seconds} s: ${playground.seeded.numbers} numbers and ${playground.seeded.agents} agents at Retell, Vapi and Bland (simulated).`,
    `  The bot's log: ${values.data}/switchboard.log · database: ${values.data}/db (emptied at every start)`,
    "  Ctrl-C stops everything.",
    "",
  ].join("\n"),
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write("Stopping…\n");
  playground.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
