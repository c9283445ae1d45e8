// The environment contract of design.md §5, validated once at start-up.
import cron from "node-cron";
import { z } from "zod";
import { type DestinationPattern, parseDestinationPattern } from "./domain/testCallRules";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const slackId = (prefix: string) =>
  optionalText.refine((v) => v === undefined || new RegExp(`^[${prefix}][A-Z0-9]{2,}$`).test(v), {
    message: `must be a Slack id starting with ${prefix.split("").join(" or ")}`,
  });

const httpUrl = optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), {
  message: "must be an http(s) URL",
});

const integer = (fallback: number, min: number, max: number) =>
  optionalText.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const list = (v: string | undefined) =>
  (v ?? "")
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** Comma-separated Slack user ids (U… or W…); each malformed one is named. */
const userIds = optionalText.transform((v, ctx) => {
  const ids = list(v);
  const bad = ids.filter((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
  if (bad.length) {
    ctx.addIssue({
      code: "custom",
      message: `must be comma-separated Slack user ids (U… or W…); not one: ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
    });
    return z.NEVER;
  }
  return ids;
});

/** Comma-separated E.164 numbers or `+prefix*` patterns; each malformed one is named. */
const destinationPatterns = optionalText.transform((v, ctx) => {
  const entries = list(v);
  const parsed = entries.map((entry) => [entry, parseDestinationPattern(entry)] as const);
  const bad = parsed.filter(([, pattern]) => pattern === null).map(([entry]) => entry);
  if (bad.length) {
    ctx.addIssue({
      code: "custom",
      message: `must be comma-separated E.164 numbers (+14155550123) or prefixes ending in * (+4420*); not one: ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
    });
    return z.NEVER;
  }
  return parsed.map(([, pattern]) => pattern as DestinationPattern);
});

/** "1h", "30m", "45s", "2d" or plain seconds → milliseconds. */
const duration = (fallbackMs: number) =>
  optionalText.transform((v, ctx) => {
    if (v === undefined) return fallbackMs;
    const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(v);
    if (!match) {
      ctx.addIssue({ code: "custom", message: "must be a duration such as 30m, 1h or 3600 (seconds)" });
      return z.NEVER;
    }
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "s"] ?? 1000;
    return Number(match[1]) * unit;
  });

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: "is required" })
    .trim()
    .regex(/^xox[bp]-/, "must be a bot token (xoxb-…)"),
  // Required in HTTP mode only: checked below, once the mode is known.
  SLACK_SIGNING_SECRET: optionalText.refine((v) => v === undefined || v.length >= 8, {
    message: "looks too short",
  }),
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith("xapp-"), {
    message: "must be an app-level token (xapp-…), not the bot token",
  }),
  SLACK_API_URL: httpUrl,
  PORT: integer(3000, 0, 65535),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "must be a postgresql:// URL (leave it unset for the embedded database)",
  }),
  DATA_DIR: optionalText.transform((v) => v ?? "./data"),
  RETELL_API_KEY: optionalText,
  VAPI_API_KEY: optionalText,
  BLAND_API_KEY: optionalText,
  RETELL_API_URL: httpUrl.transform((v) => v ?? "https://api.retellai.com"),
  VAPI_API_URL: httpUrl.transform((v) => v ?? "https://api.vapi.ai"),
  BLAND_API_URL: httpUrl.transform((v) => v ?? "https://api.bland.ai"),
  ALERT_CHANNEL_ID: slackId("CG"),
  APPROVAL_CHANNEL_ID: slackId("CG"),
  APPROVER_USER_IDS: optionalText.transform((v) =>
    (v ?? "")
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter(Boolean),
  ),
  APPROVER_USERGROUP_ID: slackId("S"),
  OPERATOR_USER_IDS: userIds,
  OPERATOR_USERGROUP_ID: slackId("S"),
  TEST_CALL_DESTINATIONS: destinationPatterns,
  APPROVAL_TTL: duration(3_600_000),
  CHECK_SCHEDULE: optionalText
    .transform((v) => v ?? "*/15 * * * *")
    .refine((v) => cron.validate(v), { message: "is not a valid cron expression" }),
  DEFAULT_REGION: optionalText
    .transform((v) => (v ?? "US").toUpperCase())
    .refine((v) => /^[A-Z]{2}$/.test(v), { message: "must be a two-letter country code such as US or GB" }),
  MAX_NUMBERS_PER_AGENT: integer(1, 1, 10_000),
  TEST_CALLS_PER_HOUR: integer(10, 1, 1000),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional()
    .transform((v) => v ?? "info"),
});

/** What each mode needs from Slack; the start-up error lists them for the mode chosen. */
export const MODE_NEEDS = {
  socket: ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"],
  http: ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"],
} as const;

export type SlackMode = keyof typeof MODE_NEEDS;

/** SLACK_APP_TOKEN set (even if malformed) means the operator chose Socket Mode. */
export function modeOf(env: NodeJS.ProcessEnv): SlackMode {
  return (env.SLACK_APP_TOKEN ?? "").trim() ? "socket" : "http";
}

const isSet = (v: unknown) => typeof v === "string" && v.trim() !== "";

// HTTP mode verifies every request with the signing secret; Socket Mode has no requests to verify.
// `when` makes this run even when other variables are invalid, so every problem is listed at once.
const modeAwareSchema = envSchema.superRefine(
  (env, ctx) => {
    if (!isSet(env.SLACK_APP_TOKEN) && !isSet(env.SLACK_SIGNING_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "is required in HTTP mode" });
    }
  },
  { when: () => true },
);

type Env = z.output<typeof envSchema>;

export interface Config {
  slack: {
    botToken: string;
    /** Set in HTTP mode (required there); Socket Mode does not use it. */
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  port: number;
  database: { url: string | undefined; dataDir: string };
  providers: {
    retell: { apiKey: string | undefined; baseURL: string };
    vapi: { apiKey: string | undefined; baseURL: string };
    bland: { apiKey: string | undefined; baseURL: string };
  };
  alertChannelId: string | undefined;
  approvalChannelId: string | undefined;
  approverUserIds: string[];
  approverUsergroupId: string | undefined;
  /** Who may change things (approvers always may); both unset: every full member. */
  operatorUserIds: string[];
  operatorUsergroupId: string | undefined;
  /** Where test calls may ring besides the requester's own profile phone. */
  testCallDestinations: DestinationPattern[];
  approvalTtlMs: number;
  checkSchedule: string;
  defaultRegion: string;
  maxNumbersPerAgent: number;
  testCallsPerHour: number;
  logLevel: Env["LOG_LEVEL"];
}

/** Where to find each value, shown next to a problem with it. */
const WHERE: Partial<Record<keyof Env, string>> = {
  SLACK_BOT_TOKEN: "Slack app settings → OAuth & Permissions → Bot User OAuth Token",
  SLACK_SIGNING_SECRET: "Slack app settings → Basic Information → App Credentials → Signing Secret",
  SLACK_APP_TOKEN:
    "Slack app settings → Basic Information → App-Level Tokens → Generate (scope connections:write)",
  DATABASE_URL: "your PostgreSQL connection string, e.g. postgresql://user@host:5432/switchboard",
  RETELL_API_KEY: "Retell dashboard → Settings → API Keys",
  VAPI_API_KEY: "Vapi dashboard → Organization → API Keys (private key)",
  BLAND_API_KEY: "Bland dashboard → Settings → API Key",
  ALERT_CHANNEL_ID: "Slack: open the channel → channel details → the id at the bottom (C…)",
  APPROVAL_CHANNEL_ID: "Slack: open the channel → channel details → the id at the bottom (C…)",
  APPROVER_USERGROUP_ID: "Slack: the user group's id (S…), from its profile or usergroups.list",
  OPERATOR_USER_IDS: "Slack: a person's profile → ⋯ → Copy member ID (U…)",
  OPERATOR_USERGROUP_ID: "Slack: the user group's id (S…), from its profile or usergroups.list",
  CHECK_SCHEDULE: "a cron expression, e.g. */15 * * * *",
};

const MODE_TEXT: Record<SlackMode, string> = {
  socket: "Socket Mode (SLACK_APP_TOKEN is set)",
  http: "HTTP mode (SLACK_APP_TOKEN is not set)",
};

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly mode: SlackMode = "http",
  ) {
    const needs = MODE_NEEDS[mode]
      .map((name) => `${name}${WHERE[name] ? ` (${WHERE[name]})` : ""}`)
      .join(" and ");
    const other =
      mode === "socket"
        ? "For HTTP mode instead, leave SLACK_APP_TOKEN empty and set SLACK_SIGNING_SECRET."
        : "For Socket Mode instead (no public URL), set SLACK_APP_TOKEN; SLACK_SIGNING_SECRET is then not needed.";
    super(
      `Switchboard cannot start: ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nMode: ${MODE_TEXT[mode]}. It needs ${needs}. ${other}` +
        "\nSet them in the environment (see .env.example and the README's configuration table).",
    );
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = modeOf(env);
  const parsed = modeAwareSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as keyof Env;
      const where = WHERE[name];
      const message =
        issue.code === "invalid_type" && env[name] === undefined ? "is required" : issue.message;
      return `${name} ${message}${where ? ` (get it from: ${where})` : ""}`;
    });
    throw new ConfigError(problems, mode);
  }
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    port: e.PORT,
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    providers: {
      retell: { apiKey: e.RETELL_API_KEY, baseURL: e.RETELL_API_URL },
      vapi: { apiKey: e.VAPI_API_KEY, baseURL: e.VAPI_API_URL },
      bland: { apiKey: e.BLAND_API_KEY, baseURL: e.BLAND_API_URL },
    },
    alertChannelId: e.ALERT_CHANNEL_ID,
    approvalChannelId: e.APPROVAL_CHANNEL_ID ?? e.ALERT_CHANNEL_ID,
    approverUserIds: e.APPROVER_USER_IDS,
    approverUsergroupId: e.APPROVER_USERGROUP_ID,
    operatorUserIds: e.OPERATOR_USER_IDS,
    operatorUsergroupId: e.OPERATOR_USERGROUP_ID,
    testCallDestinations: e.TEST_CALL_DESTINATIONS,
    approvalTtlMs: e.APPROVAL_TTL,
    checkSchedule: e.CHECK_SCHEDULE,
    defaultRegion: e.DEFAULT_REGION,
    maxNumbersPerAgent: e.MAX_NUMBERS_PER_AGENT,
    testCallsPerHour: e.TEST_CALLS_PER_HOUR,
    logLevel: e.LOG_LEVEL,
  };
}

/** Every secret in the config, so the logger can guarantee none is ever printed. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.providers.retell.apiKey,
    config.providers.vapi.apiKey,
    config.providers.bland.apiKey,
    config.database.url ? new URL(config.database.url).password : undefined,
  ].filter((s): s is string => typeof s === "string" && s.length >= 4);
}
