// The logger is the last line of defence: whatever reaches it, configured secrets never leave it.
import { describe, expect, it } from "vitest";
import { boltLogger, createLogger } from "../../src/logger";

function capture(secrets: string[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    secrets,
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { logger, lines };
}

describe("logger", () => {
  it("scrubs configured secrets wherever they appear: messages, error causes, nested request configs", () => {
    const { logger, lines } = capture(["xoxb-real-token", "retell-key-123"]);
    const cause = Object.assign(new Error("request failed"), {
      config: {
        headers: { Authorization: "Bearer retell-key-123" },
        url: "https://api.retellai.com/x?key=retell-key-123",
      },
    });
    logger.error(
      { err: new Error("boom with xoxb-real-token", { cause }) },
      "failed calling with retell-key-123",
    );
    boltLogger(logger).warn("token", "xoxb-real-token", "rejected");
    const out = lines.join("");
    expect(out).toContain("[redacted]");
    expect(out).not.toContain("xoxb-real-token");
    expect(out).not.toContain("retell-key-123");
  });

  it("censors credentials one level down even when they are not configured secrets, and leaves the rest", () => {
    const { logger, lines } = capture([]);
    const headers = { authorization: "Bearer unlisted-key", accept: "json" };
    logger.info(
      { headers, client: { token: "xoxp-unlisted", apiKey: "k-unlisted" }, kind: "command" },
      "call",
    );
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      headers: { authorization: "[redacted]", accept: "json" },
      client: { token: "[redacted]", apiKey: "[redacted]" },
      kind: "command",
    });
    expect(headers.authorization).toBe("Bearer unlisted-key"); // the caller's object is not touched
  });

  it("writes Bolt's logs through the same structured logger, at Bolt's level", () => {
    const { logger, lines } = capture([]);
    boltLogger(logger).info("hello", 42);
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: "bolt", msg: "hello 42", level: 30 });
  });
});
