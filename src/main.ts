// Entry point (`npm start`): validates the environment, starts Switchboard, stops cleanly on SIGTERM.
import { ConfigError, loadConfig, secretsOf } from "./config";
import { createLogger } from "./logger";
import { type Switchboard, startSwitchboard } from "./server";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });

  // Registered before start-up: a stop while the database opens (a first start's initdb takes
  // seconds) ends start-up at its next step and closes what it opened, instead of killing it midway.
  const starting = new AbortController();
  let switchboard: Switchboard | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, during: switchboard ? "running" : "start-up" }, "shutdown requested");
    if (!switchboard) return starting.abort(new Error(`${signal} during start-up`));
    switchboard.stop().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        exit(1);
      },
    );
  };
  // Log lines are written asynchronously: flush what is buffered before the process ends.
  const exit = (code: number) => {
    logger.flush();
    process.exit(code);
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  logger.info({ pid: process.pid, node: process.version }, "starting");

  try {
    switchboard = await startSwitchboard(config, { logger, signal: starting.signal });
    // A signal between start-up's last step and here found no Switchboard to stop: stop it now.
    if (starting.signal.aborted) {
      stopping = false;
      stop("SIGTERM");
    }
  } catch (error) {
    if (starting.signal.aborted) {
      logger.info("stopped during start-up");
      return exit(0);
    }
    logger.fatal({ err: error }, `Switchboard could not start: ${(error as Error).message}`);
    return exit(1);
  }
}

void main();
