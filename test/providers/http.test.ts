import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  backoffMs,
  createProviderHttp,
  messageOf,
  type ProviderHttpConfig,
  pathSegment,
  retryAfterOf,
} from "../../src/providers/http";
import { elapsedMs, FAST, providerError, useNock } from "./support";

useNock();

const HOST = "https://policy.test";
const item = z.object({ id: z.string() });
const http = (overrides: Partial<ProviderHttpConfig> = {}) =>
  createProviderHttp({
    provider: "vapi",
    baseURL: HOST,
    headers: { Authorization: "Bearer k" },
    ...FAST,
    ...overrides,
  });
const get = (h = http()) => h.request("list numbers", { method: "GET", url: "/things" }, z.array(item));

describe("createProviderHttp", () => {
  it("returns the validated body with unknown fields stripped", async () => {
    const scope = nock(HOST, { reqheaders: { authorization: "Bearer k", accept: "application/json" } })
      .get("/things")
      .reply(200, [{ id: "a", extra: 1 }]);
    await expect(get()).resolves.toEqual([{ id: "a" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("retries 5xx and network errors on a GET, then succeeds", async () => {
    const scope = nock(HOST)
      .get("/things")
      .reply(503, "down")
      .get("/things")
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .get("/things")
      .reply(200, [{ id: "a" }]);
    await expect(get()).resolves.toEqual([{ id: "a" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("gives up after `retries` extra attempts with the last failure", async () => {
    let attempts = 0;
    nock(HOST)
      .get("/things")
      .times(10)
      .reply(() => {
        attempts++;
        return [500, { message: "boom" }];
      });
    const error = await providerError(get(http({ retries: 2 })));
    expect(attempts).toBe(3);
    expect(error).toMatchObject({ kind: "unavailable", status: 500, providerMessage: "boom" });
    expect(error.message).toBe(
      "Vapi is not answering (HTTP 500 while listing numbers); try again in a few minutes",
    );
  });

  it("reports rate limiting once retries run out", async () => {
    const scope = nock(HOST).get("/things").times(2).reply(429, { message: "slow down" });
    const error = await providerError(get(http({ retries: 1 })));
    expect(error).toMatchObject({ kind: "rate_limited", status: 429, providerMessage: "slow down" });
    expect(error.message).toBe(
      "Vapi is rate limiting us (HTTP 429 while listing numbers); try again in a minute",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("waits as long as retry-after-ms says", async () => {
    const scope = nock(HOST)
      .get("/things")
      .reply(429, {}, { "retry-after-ms": "80" })
      .get("/things")
      .reply(200, []);
    expect(await elapsedMs(() => get())).toBeGreaterThanOrEqual(75);
    expect(scope.isDone()).toBe(true);
  });

  it("caps a long Retry-After at maxDelayMs", async () => {
    const scope = nock(HOST)
      .get("/things")
      .reply(503, "", { "Retry-After": "60" })
      .get("/things")
      .reply(200, []);
    expect(await elapsedMs(() => get(http({ maxDelayMs: 20 })))).toBeLessThan(1000);
    expect(scope.isDone()).toBe(true);
  });

  it("times out each attempt and retries, then reports a timeout", async () => {
    const scope = nock(HOST).get("/things").times(2).delay(400).reply(200, []);
    const error = await providerError(get(http({ retries: 1, timeoutMs: 200 })));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "Vapi is not answering (timeout after 0.2 s while listing numbers); try again in a few minutes",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("does not repeat a POST the provider may have acted on, but does after a 429", async () => {
    let attempts = 0;
    nock(HOST)
      .post("/calls")
      .times(5)
      .reply(() => {
        attempts++;
        return attempts === 1 ? [429, {}] : [502, {}];
      });
    const error = await providerError(http().request("place call", { method: "POST", url: "/calls" }, item));
    expect(error).toMatchObject({ kind: "unavailable", status: 502 });
    expect(attempts).toBe(2);
  });

  it("repeats a POST marked idempotent", async () => {
    const scope = nock(HOST).post("/list").reply(500, {}).post("/list").reply(200, { id: "x" });
    const result = await http().request("list agents", { method: "POST", url: "/list" }, item, {
      idempotent: true,
    });
    expect(result).toEqual({ id: "x" });
    expect(scope.isDone()).toBe(true);
  });

  it.each([401, 403])("maps %i to auth without retrying", async (status) => {
    const scope = nock(HOST).get("/things").reply(status, { message: "Invalid key." });
    const error = await providerError(get());
    expect(error).toMatchObject({
      kind: "auth",
      status,
      providerMessage: "Invalid key.",
      operation: "list numbers",
    });
    // Vapi documents what its 401 means (a wrong key, often the public one); 403 stays generic.
    expect(error.message).toBe(
      status === 401
        ? "Vapi rejected the API key (HTTP 401): VAPI_API_KEY must be the organization's private API key (Vapi dashboard → API Keys), not the public key; set it and restart Switchboard"
        : "the Vapi API key is invalid or lacks permission: check VAPI_API_KEY",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("maps 402 to a billing problem without retrying", async () => {
    const scope = nock(HOST).get("/things").reply(402, { message: "Payment required." });
    const error = await providerError(get());
    expect(error).toMatchObject({ kind: "billing", status: 402 });
    expect(error.message).toContain("Vapi billing problem");
    expect(scope.isDone()).toBe(true);
  });

  it("maps 404 to not_found naming the subject", async () => {
    nock(HOST).get("/n/+14155550123").reply(404, { message: "Not Found" });
    const error = await providerError(
      http().request("get number", { method: "GET", url: "/n/+14155550123" }, item, {
        subject: "+14155550123",
      }),
    );
    expect(error).toMatchObject({ kind: "not_found", status: 404 });
    expect(error.message).toBe("Vapi did not find +14155550123 (is it in this Vapi account?)");
  });

  it("maps Retell's 422 asset message to not_found and any other 422 to rejected", async () => {
    const retell = http({ provider: "retell" });
    nock(HOST)
      .get("/things")
      .reply(422, { status: "error", message: "Cannot find requested asset under given api key." })
      .get("/things")
      .reply(422, { status: "error", message: "weight must sum to 1" });
    const ask = () =>
      retell.request("get number", { method: "GET", url: "/things" }, item, { subject: "agent agent_1" });
    expect((await providerError(ask())).message).toBe(
      "Retell did not find agent agent_1 (is it in this Retell account?)",
    );
    const rejected = await providerError(ask());
    expect(rejected).toMatchObject({
      kind: "rejected",
      status: 422,
      providerMessage: "weight must sum to 1",
    });
    expect(rejected.message).toBe(
      "Retell refused getting number agent agent_1 (HTTP 422): weight must sum to 1; check the request or the Retell account",
    );
  });

  it("carries Vapi's message list on other 4xx", async () => {
    nock(HOST)
      .patch("/n/1")
      .reply(400, { message: ["assistantId must be a UUID", "name too long"], error: "Bad Request" });
    const error = await providerError(http().request("bind number", { method: "PATCH", url: "/n/1" }, item));
    expect(error).toMatchObject({
      kind: "rejected",
      status: 400,
      providerMessage: "assistantId must be a UUID; name too long",
    });
  });

  it("treats a 2xx error envelope as an error when the provider uses them", async () => {
    const bland = http({ provider: "bland", errorsInOkBody: true });
    nock(HOST)
      .get("/things")
      .reply(200, { data: null, errors: [{ message: "Number is not attached" }] })
      .get("/things")
      .reply(200, { status: "error", message: "Phone number not found." })
      .get("/things")
      .reply(200, { id: "ok", errors: null });
    const ask = () => bland.request("detach number", { method: "GET", url: "/things" }, item);
    expect(await providerError(ask())).toMatchObject({
      kind: "rejected",
      status: 200,
      providerMessage: "Number is not attached",
    });
    expect(await providerError(ask())).toMatchObject({
      kind: "rejected",
      providerMessage: "Phone number not found.",
    });
    await expect(ask()).resolves.toEqual({ id: "ok" });
  });

  it("reports a body that is not JSON, and the first field that fails the schema", async () => {
    nock(HOST)
      .get("/things")
      .reply(200, "<html>gateway</html>")
      .get("/things")
      .reply(200, [{ id: "a" }, { id: 7 }])
      .get("/things")
      .reply(200, { id: "a" });
    const notJson = await providerError(get());
    expect(notJson).toMatchObject({ kind: "bad_response", field: undefined });
    expect(notJson.message).toBe(
      "Vapi answered listing numbers with an unexpected shape (the body is not JSON)",
    );
    const wrongField = await providerError(get());
    expect(wrongField).toMatchObject({ kind: "bad_response", field: "1.id" });
    expect(wrongField.message).toBe(
      "Vapi answered listing numbers with an unexpected shape (field `1.id`: expected string)",
    );
    expect((await providerError(get())).field).toBe("(root)");
  });

  describe("concurrency", () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    it("keeps at most `concurrency` requests in flight per provider", async () => {
      let inFlight = 0;
      let peak = 0;
      server = createServer((_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => {
          inFlight--;
          res.setHeader("content-type", "application/json");
          res.end('{"id":"x"}');
        }, 30);
      });
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const local = http({ baseURL: `http://127.0.0.1:${port}`, concurrency: 2 });
      await Promise.all(
        Array.from({ length: 6 }, () => local.request("get", { method: "GET", url: "/" }, item)),
      );
      expect(peak).toBe(2);
    });
  });
});

describe("retryAfterOf", () => {
  it("reads milliseconds, seconds and HTTP dates", () => {
    expect(retryAfterOf({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(retryAfterOf({ "retry-after": "2" })).toBe(2000);
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    const ms = retryAfterOf({ "retry-after": inFiveSeconds });
    expect(ms).toBeGreaterThan(3500);
    expect(ms).toBeLessThanOrEqual(5000);
    expect(retryAfterOf({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" })).toBe(0);
    expect(retryAfterOf({ "retry-after": "soon" })).toBeUndefined();
    expect(retryAfterOf({})).toBeUndefined();
  });
});

describe("backoffMs", () => {
  it("uses full jitter under an exponential ceiling capped at the maximum", () => {
    // Restored even when an expectation fails: unit files share a module graph (isolate: false).
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      expect(backoffMs(0, undefined, 300, 10_000)).toBe(150);
      expect(backoffMs(3, undefined, 300, 10_000)).toBe(1200);
      expect(backoffMs(10, undefined, 300, 10_000)).toBe(5000);
    } finally {
      random.mockRestore();
    }
    expect(backoffMs(1, 30_000, 300, 10_000)).toBe(10_000);
    expect(backoffMs(1, 1000, 300, 10_000)).toBe(1000);
  });
});

describe("helpers", () => {
  it("keeps + literal in path segments and escapes the rest", () => {
    expect(pathSegment("+14155550123")).toBe("+14155550123");
    expect(pathSegment("a/b c")).toBe("a%2Fb%20c");
  });

  it("finds the provider's message in each error shape", () => {
    expect(messageOf({ status: "error", message: "API key is missing or invalid." })).toBe(
      "API key is missing or invalid.",
    );
    expect(messageOf({ message: ["a", "b"] })).toBe("a; b");
    expect(messageOf({ data: null, errors: [{ message: "x" }, { error: "y" }] })).toBe("x; y");
    expect(messageOf({ error: "Unauthorized" })).toBe("Unauthorized");
    expect(messageOf({ nothing: true })).toBeUndefined();
  });
});
