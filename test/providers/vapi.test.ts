import nock from "nock";
import { describe, expect, it } from "vitest";
import { createVapiProvider } from "../../src/providers/vapi";
import { elapsedMs, FAST, providerError, TIMES_OUT, useNock } from "./support";

useNock();

const BASE = "https://api.vapi.ai";
const NUMBER_ID = "0b8a6f5e-3c1d-4e2f-9a7b-1c2d3e4f5a6b";
const ASSISTANT_ID = "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a";
const REF = { providerNumberId: NUMBER_ID, e164: "+14155550123" };
const vapi = () => createVapiProvider({ apiKey: "vapi_private", ...FAST });
const api = () => nock(BASE, { reqheaders: { authorization: "Bearer vapi_private" } });

const minutesBefore = (minutes: number) => new Date(Date.UTC(2026, 5, 1) - minutes * 60_000).toISOString();
const phoneNumber = (i: number, extra: object = {}) => ({
  id: `num-${i}`,
  orgId: "org-1",
  provider: "twilio",
  number: `+1415555${String(i).padStart(4, "0")}`,
  createdAt: minutesBefore(i),
  updatedAt: minutesBefore(i),
  ...extra,
});

describe("Vapi provider", () => {
  it("lists numbers through /v2/phone-number pages until hasNextPage is false, skips SIP-only numbers and maps routing", async () => {
    const firstPage = Array.from({ length: 1000 }, (_, i) =>
      phoneNumber(i, i === 0 ? { name: "Support", assistantId: ASSISTANT_ID } : {}),
    );
    const meta = (currentPage: number, hasNextPage: boolean) => ({
      itemsPerPage: 1000,
      totalItems: 1002,
      currentPage,
      totalPages: 2,
      hasNextPage,
    });
    const scope = api()
      .get("/v2/phone-number")
      .query({ page: "1", limit: "1000", sortBy: "createdAt", sortOrder: "ASC" })
      .reply(200, { results: firstPage, metadata: meta(1, true) })
      .get("/v2/phone-number")
      .query({ page: "2", limit: "1000", sortBy: "createdAt", sortOrder: "ASC" })
      .reply(200, {
        results: [
          phoneNumber(1000, {
            squadId: "squad-1",
            server: { url: "https://hooks.example/vapi" },
            fallbackDestination: { type: "number", number: "+14155550000" },
          }),
          { ...phoneNumber(1001), provider: "vapi", number: undefined, sipUri: "sip:spare@sip.vapi.ai" },
        ],
        metadata: meta(2, false),
      });

    const numbers = await vapi().listNumbers();

    expect(numbers).toHaveLength(1001);
    expect(new Set(numbers.map((n) => n.providerNumberId)).size).toBe(1001);
    expect(numbers[0]).toEqual({
      providerNumberId: "num-0",
      e164: "+14155550000",
      nickname: "Support",
      inboundAgentIds: [ASSISTANT_ID],
      outboundAgentIds: [],
      otherRouting: null,
    });
    expect(numbers.find((n) => n.providerNumberId === "num-1000")).toEqual({
      providerNumberId: "num-1000",
      e164: "+14155551000",
      nickname: null,
      inboundAgentIds: [],
      outboundAgentIds: [],
      otherRouting: {
        squadId: "squad-1",
        serverUrl: "https://hooks.example/vapi",
        fallbackDestination: "+14155550000",
      },
    });
    expect(numbers.some((n) => n.providerNumberId === "num-1001")).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it("fails the listing when the pages hold fewer distinct numbers than totalItems (nothing is marked gone)", async () => {
    api()
      .get("/v2/phone-number")
      .query(true)
      .reply(200, {
        results: [phoneNumber(1), phoneNumber(1)],
        metadata: { itemsPerPage: 1000, totalItems: 2, currentPage: 1, hasNextPage: false },
      });
    const error = await providerError(vapi().listNumbers());
    expect(error).toMatchObject({ kind: "bad_response", field: "metadata.totalItems" });
  });

  it("lists assistants as published and active with their version label", async () => {
    const scope = api()
      .get("/assistant")
      .query({ limit: "1000" })
      .reply(200, [
        {
          id: ASSISTANT_ID,
          orgId: "org-1",
          name: "Front desk",
          latestVersion: "v3",
          createdAt: minutesBefore(1),
        },
        { id: "a-2", orgId: "org-1", createdAt: minutesBefore(2) },
      ]);
    expect(await vapi().listAgents()).toEqual([
      {
        providerAgentId: ASSISTANT_ID,
        kind: "assistant",
        name: "Front desk",
        published: true,
        active: true,
        version: "v3",
      },
      {
        providerAgentId: "a-2",
        kind: "assistant",
        name: "a-2",
        published: true,
        active: true,
        version: null,
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads one number by id and maps 404 to not_found naming the E.164", async () => {
    const scope = api()
      .get(`/phone-number/${NUMBER_ID}`)
      .reply(200, { ...phoneNumber(123), id: NUMBER_ID, workflowId: "wf-1" })
      .get(`/phone-number/${NUMBER_ID}`)
      .reply(404, { message: "Not Found", error: "Not Found", statusCode: 404 });
    const provider = vapi();
    expect(await provider.getNumber(REF)).toMatchObject({
      providerNumberId: NUMBER_ID,
      e164: "+14155550123",
      otherRouting: { workflowId: "wf-1" },
    });
    const error = await providerError(provider.getNumber(REF));
    expect(error).toMatchObject({ kind: "not_found", status: 404, provider: "vapi" });
    expect(error.message).toBe("Vapi did not find +14155550123 (is it in this Vapi account?)");
    expect(scope.isDone()).toBe(true);
  });

  it("binds clearing squad and workflow, and unbinds with assistantId null", async () => {
    const scope = api()
      .patch(`/phone-number/${NUMBER_ID}`, { assistantId: ASSISTANT_ID, squadId: null, workflowId: null })
      .reply(200, { id: NUMBER_ID, assistantId: ASSISTANT_ID })
      .patch(`/phone-number/${NUMBER_ID}`, { assistantId: null })
      .reply(200, { id: NUMBER_ID, assistantId: null });
    const provider = vapi();
    await provider.bind(REF, { providerAgentId: ASSISTANT_ID, kind: "assistant" });
    await provider.unbind(REF);
    expect(scope.isDone()).toBe(true);
  });

  it("carries Vapi's message list when it rejects a change", async () => {
    api()
      .patch(`/phone-number/${NUMBER_ID}`)
      .reply(400, { message: ["assistantId must be a UUID"], error: "Bad Request", statusCode: 400 });
    const error = await providerError(vapi().bind(REF, { providerAgentId: "nope", kind: "assistant" }));
    expect(error).toMatchObject({
      kind: "rejected",
      status: 400,
      providerMessage: "assistantId must be a UUID",
    });
  });

  it("checks the key with a one-item assistant list and reports a bad key", async () => {
    const ok = api().get("/assistant").query({ limit: "1" }).reply(200, []);
    await vapi().checkKey();
    expect(ok.isDone()).toBe(true);

    const bad = api().get("/assistant").query({ limit: "1" }).reply(401, { message: "Invalid Key." });
    const error = await providerError(vapi().checkKey());
    expect(error).toMatchObject({ kind: "auth", status: 401 });
    expect(error.message).toContain("Vapi rejected the API key (HTTP 401)");
    expect(error.fix).toContain("private API key");
    expect(bad.isDone()).toBe(true);
  });

  it("waits for Retry-After on 429, then succeeds", async () => {
    const scope = api()
      .get("/assistant")
      .query(true)
      .reply(429, { message: "Too Many Requests" }, { "Retry-After": "1" })
      .get("/assistant")
      .query(true)
      .reply(200, []);
    expect(await elapsedMs(() => vapi().listAgents())).toBeGreaterThanOrEqual(950);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 502, then succeeds", async () => {
    const scope = api()
      .get("/v2/phone-number")
      .query(true)
      .reply(502, "Bad Gateway")
      .get("/v2/phone-number")
      .query(true)
      .reply(200, {
        results: [phoneNumber(1)],
        metadata: { itemsPerPage: 1000, totalItems: 1, currentPage: 1 },
      });
    expect(await vapi().listNumbers()).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("times out every attempt and reports a timeout", async () => {
    const scope = api().get("/v2/phone-number").query(true).times(4).delay(400).reply(200, {});
    const error = await providerError(
      createVapiProvider({ apiKey: "vapi_private", ...TIMES_OUT }).listNumbers(),
    );
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "Vapi is not answering (timeout after 0.2 s while listing numbers); try again in a few minutes",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("names the failing field of a malformed list", async () => {
    api()
      .get("/assistant")
      .query(true)
      .reply(200, [
        { id: ASSISTANT_ID, createdAt: minutesBefore(1) },
        { name: "no id", createdAt: minutesBefore(2) },
      ]);
    const error = await providerError(vapi().listAgents());
    expect(error).toMatchObject({ kind: "bad_response", field: "1.id" });
    expect(error.message).toBe(
      "Vapi answered listing agents with an unexpected shape (field `1.id`: expected string)",
    );

    api().get("/assistant").query(true).reply(200, "not json {");
    expect(await providerError(vapi().listAgents())).toMatchObject({
      kind: "bad_response",
      field: undefined,
    });
  });

  it("places a call from the number's id and maps call states", async () => {
    const call = (extra: object) => ({ id: "call-1", orgId: "org-1", type: "outboundPhoneCall", ...extra });
    const scope = api()
      .post("/call", {
        phoneNumberId: NUMBER_ID,
        assistantId: ASSISTANT_ID,
        customer: { number: "+14155550199" },
      })
      .reply(201, call({ status: "queued", subscriptionLimits: { concurrencyBlocked: false } }))
      .get("/call/call-1")
      .reply(200, call({ status: "ringing" }))
      .get("/call/call-1")
      .reply(200, call({ status: "in-progress", startedAt: "2026-06-01T10:00:02.000Z" }))
      .get("/call/call-1")
      .reply(
        200,
        call({
          status: "ended",
          endedReason: "customer-ended-call",
          startedAt: "2026-06-01T10:00:02.000Z",
          endedAt: "2026-06-01T10:00:44.500Z",
        }),
      )
      .get("/call/call-1")
      .reply(200, call({ status: "ended", endedReason: "customer-did-not-answer" }));
    const provider = vapi();

    expect(
      await provider.placeCall({
        from: REF,
        to: "+14155550199",
        providerAgentId: ASSISTANT_ID,
        kind: "assistant",
      }),
    ).toEqual({
      callId: "call-1",
    });
    expect(await provider.getCall("call-1")).toEqual({
      callId: "call-1",
      status: "ringing",
      connected: null,
      endReason: null,
      durationSec: null,
    });
    expect(await provider.getCall("call-1")).toMatchObject({ status: "in_progress", connected: true });
    expect(await provider.getCall("call-1")).toEqual({
      callId: "call-1",
      status: "ended",
      connected: true,
      endReason: "customer-ended-call",
      durationSec: 42.5,
    });
    expect(await provider.getCall("call-1")).toEqual({
      callId: "call-1",
      status: "ended",
      connected: false,
      endReason: "customer-did-not-answer",
      durationSec: null,
    });
    expect(scope.isDone()).toBe(true);
  });
});
