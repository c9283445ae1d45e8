// Structured logs (pino). Secrets from the config are scrubbed from every line before it is written.
import type { Logger as SlackLogger } from "@slack/bolt";
import { LogLevel } from "@slack/bolt";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

export function createLogger(options: {
  level: string;
  secrets: string[];
  destination?: DestinationStream;
}): Logger {
  const secrets = options.secrets.filter((s) => s.length >= 4);
  return pino(
    {
      level: options.level,
      base: { app: "switchboard" },
      redact: {
        paths: ["*.authorization", "*.Authorization", "headers.authorization", "*.token", "*.apiKey"],
        censor: "[redacted]",
      },
      hooks: {
        streamWrite: (line) => secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), line),
      },
    },
    options.destination,
  );
}

const PINO_TO_SLACK: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** Bolt's own logs go through the same pino logger (and the same scrubbing). */
export function boltLogger(logger: Logger): SlackLogger {
  const bolt = logger.child({ component: "bolt" });
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");
  return {
    debug: (...args) => bolt.debug(text(args)),
    info: (...args) => bolt.info(text(args)),
    warn: (...args) => bolt.warn(text(args)),
    error: (...args) => bolt.error(text(args)),
    setLevel: () => {},
    getLevel: () => PINO_TO_SLACK[logger.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
