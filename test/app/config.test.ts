import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

const minimal = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-123" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("starts from the two Slack credentials with the documented defaults", () => {
    const config = loadConfig(minimal);
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ url: undefined, dataDir: "./data" });
    expect(config.checkSchedule).toBe("*/15 * * * *");
    expect(config.defaultRegion).toBe("US");
    expect(config.maxNumbersPerAgent).toBe(1);
    expect(config.testCallsPerHour).toBe(10);
    expect(config.approvalTtlMs).toBe(3_600_000);
    expect(config.providers.retell).toEqual({ apiKey: undefined, baseURL: "https://api.retellai.com" });
  });

  it("lists every missing or invalid variable at once, each with where to get it", () => {
    const list = problems({
      PORT: "http",
      DATABASE_URL: "mysql://x",
      CHECK_SCHEDULE: "every day",
      APPROVAL_TTL: "soon",
    });
    const names = list.map((p) => p.split(" ")[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "PORT",
        "DATABASE_URL",
        "CHECK_SCHEDULE",
        "APPROVAL_TTL",
      ]),
    );
    expect(list.find((p) => p.startsWith("SLACK_BOT_TOKEN"))).toContain("is required");
    expect(list.find((p) => p.startsWith("SLACK_BOT_TOKEN"))).toContain("OAuth & Permissions");
    expect(list.find((p) => p.startsWith("SLACK_SIGNING_SECRET"))).toContain("Signing Secret");
  });

  it("derives the approval channel from the alert channel and parses approver lists", () => {
    const config = loadConfig({
      ...minimal,
      ALERT_CHANNEL_ID: "C0ALERTS",
      APPROVER_USER_IDS: "U1AAA, U2BBB",
      APPROVAL_TTL: "30m",
    });
    expect(config.approvalChannelId).toBe("C0ALERTS");
    expect(config.approverUserIds).toEqual(["U1AAA", "U2BBB"]);
    expect(config.approvalTtlMs).toBe(30 * 60_000);
  });

  it("reads operators and test-call destinations; unset, nobody is named and only the profile phone is allowed", () => {
    expect(loadConfig(minimal)).toMatchObject({
      operatorUserIds: [],
      operatorUsergroupId: undefined,
      testCallDestinations: [],
    });
    const config = loadConfig({
      ...minimal,
      OPERATOR_USER_IDS: "U1AAA, W2BBB",
      OPERATOR_USERGROUP_ID: "S0OPS",
      TEST_CALL_DESTINATIONS: "+14155550123, +4420*",
    });
    expect(config.operatorUserIds).toEqual(["U1AAA", "W2BBB"]);
    expect(config.operatorUsergroupId).toBe("S0OPS");
    expect(config.testCallDestinations).toEqual([
      { kind: "exact", e164: "+14155550123" },
      { kind: "prefix", prefix: "+4420" },
    ]);
  });

  it("refuses malformed operators and destinations at start, naming each bad entry", () => {
    const list = problems({
      ...minimal,
      OPERATOR_USER_IDS: "U1AAA, @dana",
      OPERATOR_USERGROUP_ID: "ops-team",
      TEST_CALL_DESTINATIONS: "+14155550123, 0207 183 8750, +*",
    });
    expect(list.find((p) => p.startsWith("OPERATOR_USER_IDS"))).toContain('"@dana"');
    expect(list.find((p) => p.startsWith("OPERATOR_USERGROUP_ID"))).toContain("starting with S");
    const destinations = list.find((p) => p.startsWith("TEST_CALL_DESTINATIONS"));
    expect(destinations).toContain('"0207", "183", "8750", "+*"');
    expect(destinations).toContain("+4420*");
  });

  it("treats empty variables as unset", () => {
    const config = loadConfig({ ...minimal, DATABASE_URL: "", RETELL_API_KEY: "", SLACK_APP_TOKEN: "" });
    expect(config.database.url).toBeUndefined();
    expect(config.providers.retell.apiKey).toBeUndefined();
    expect(config.slack.appToken).toBeUndefined();
  });
});

describe("configuration per Slack mode", () => {
  it("Socket Mode needs the bot and app-level tokens, not the signing secret", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1-A1-1-abc" });
    expect(config.slack.appToken).toBe("xapp-1-A1-1-abc");
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it("HTTP mode: the error names the mode and lists what it needs, with where to get each", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.mode).toBe("http");
    expect(error?.problems).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required in HTTP mode/),
    ]);
    expect(error?.message).toContain("Mode: HTTP mode (SLACK_APP_TOKEN is not set)");
    expect(error?.message).toContain("It needs SLACK_BOT_TOKEN (Slack app settings");
    expect(error?.message).toContain("SLACK_SIGNING_SECRET (Slack app settings → Basic Information");
    expect(error?.message).toContain("For Socket Mode instead (no public URL), set SLACK_APP_TOKEN");
  });

  it("Socket Mode: a missing bot token and a bot token given as app token are reported for Socket Mode", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ SLACK_APP_TOKEN: "xoxb-oops" });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.mode).toBe("socket");
    const names = error!.problems.map((p) => p.split(" ")[0]);
    expect(names).toEqual(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]);
    expect(error!.problems[1]).toContain("must be an app-level token (xapp-…)");
    expect(error!.problems[1]).toContain("App-Level Tokens");
    expect(error!.message).toContain("Mode: Socket Mode (SLACK_APP_TOKEN is set)");
    expect(error!.message).toContain("It needs SLACK_BOT_TOKEN");
    expect(error!.message).toContain(
      "and SLACK_APP_TOKEN (Slack app settings → Basic Information → App-Level Tokens",
    );
    expect(error!.message).not.toContain("SLACK_SIGNING_SECRET is required");
  });

  it("lists the signing secret alongside other problems in HTTP mode", () => {
    const list = problems({ PORT: "x" });
    expect(list.map((p) => p.split(" ")[0])).toEqual(
      expect.arrayContaining(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT"]),
    );
  });
});
