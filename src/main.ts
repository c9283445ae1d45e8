// Entry point (`npm start`): validates the environment, starts Switchboard, stops cleanly on SIGTERM.
import { ConfigError, loadConfig, secretsOf } from "./config";
import { createLogger } from "./logger";
import { startSwitchboard } from "./server";

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
  const switchboard = await startSwitchboard(config, { logger }).catch((error: unknown) => {
    logger.fatal({ err: error }, `Switchboard could not start: ${(error as Error).message}`);
    process.exit(1);
  });

  const stop = (signal: string) => {
    logger.info({ signal }, "shutdown requested");
    switchboard.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

void main();
