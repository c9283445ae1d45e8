// The foundation, driven as Slack drives it: signed requests into the running app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../harness/slackDriver";
import { startTestApp, type TestApp } from "../harness/testApp";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

describe("Switchboard over HTTP", () => {
  it("answers /healthz and /readyz while the database answers", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("answers a signed slash command within Slack's 3-second limit", async () => {
    const res = await app.send.command("/numbers", "help");
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.text).toContain("/numbers status");
  });

  it("rejects a request with a bad signature with 401 and runs nothing", async () => {
    const res = await app.send.command("/numbers", "help", { signature: "v0=deadbeef" });
    expect(res.status).toBe(401);
    const forged = await app.send.command("/numbers", "help", { secret: "not-the-signing-secret" });
    expect(forged.status).toBe(401);
  });

  it("rejects a replayed request whose timestamp is older than five minutes with 401", async () => {
    const res = await app.send.command("/numbers", "help", {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
  });

  it("answers a malformed body with a 4xx and keeps serving", async () => {
    const body = "payload=%7Bnot-json";
    const bad = await app.send.post(body, "application/x-www-form-urlencoded");
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const json = await app.send.post("{", "application/json");
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    const after = await app.send.command("/numbers", "help");
    expect(after.status).toBe(200);
  });

  it("signs exactly the raw bytes it sends (harness sanity)", () => {
    expect(sign("s", "a=b", 1)).toMatch(/^v0=[0-9a-f]{64}$/);
  });
});
