import nock from "nock";
import { describe, expect, it } from "vitest";
import { createRetellProvider } from "../../src/providers/retell";
import { elapsedMs, FAST, providerError, TIMES_OUT, useNock } from "./support";

useNock();

const BASE = "https://api.retellai.com";
const NUMBER = "+14155550123";
const REF = { providerNumberId: NUMBER, e164: NUMBER };
const retell = () => createRetellProvider({ apiKey: "key_retell", ...FAST });
const api = () => nock(BASE, { reqheaders: { authorization: "Bearer key_retell" } });

const weight = (agent_id: string, w = 1) => ({ agent_id, agent_version: 4, weight: w });
const numberBody = (phone_number: string, extra: object = {}) => ({
  phone_number,
  phone_number_type: "retell-twilio",
  last_modification_timestamp: 1767225600000,
  ...extra,
});

describe("Retell provider", () => {
  it("lists every page of numbers and maps agents, weighted splits and webhooks", async () => {
    const scope = api()
      .get("/v2/list-phone-numbers")
      .query({ limit: "1000" })
      .reply(200, {
        items: [
          numberBody(NUMBER, {
            nickname: "Support main line",
            inbound_agents: [weight("agent_a")],
            outbound_agents: [weight("agent_a")],
            inbound_webhook_url: null,
          }),
          numberBody("+14155550188", {
            inbound_agents: [weight("agent_a", 0.5), weight("agent_b", 0.5)],
            outbound_agents: null,
          }),
        ],
        has_more: true,
        pagination_key: "page-2",
      })
      .get("/v2/list-phone-numbers")
      .query({ limit: "1000", pagination_key: "page-2" })
      .reply(200, {
        items: [numberBody("+14155550199", { inbound_webhook_url: "https://hooks.example/route" })],
        has_more: false,
      });

    const numbers = await retell().listNumbers();

    expect(numbers).toEqual([
      {
        providerNumberId: NUMBER,
        e164: NUMBER,
        nickname: "Support main line",
        inboundAgentIds: ["agent_a"],
        outboundAgentIds: ["agent_a"],
        otherRouting: null,
      },
      {
        providerNumberId: "+14155550188",
        e164: "+14155550188",
        nickname: null,
        inboundAgentIds: ["agent_a", "agent_b"],
        outboundAgentIds: [],
        otherRouting: null,
      },
      {
        providerNumberId: "+14155550199",
        e164: "+14155550199",
        nickname: null,
        inboundAgentIds: [],
        outboundAgentIds: [],
        otherRouting: { webhookUrl: "https://hooks.example/route" },
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a page that says has_more without a cursor", async () => {
    api().get("/v2/list-phone-numbers").query(true).reply(200, { items: [], has_more: true });
    const error = await providerError(retell().listNumbers());
    expect(error).toMatchObject({ kind: "bad_response", field: "pagination_key" });
  });

  it("lists voice agents on every page and reads readiness from their published versions", async () => {
    const filter = { filter_criteria: { channel: { type: "string", op: "eq", value: "voice" } } };
    const scope = api()
      .post("/v2/list-agents", filter)
      .query({ limit: "1000" })
      .reply(200, {
        items: [{ agent_id: "agent_a", agent_name: "Front desk", channel: "voice" }],
        has_more: true,
        pagination_key: "k2",
      })
      .post("/v2/list-agents", filter)
      .query({ limit: "1000", pagination_key: "k2" })
      .reply(200, { items: [{ agent_id: "agent_b", agent_name: null }], has_more: false })
      .get("/list-agent-versions/agent_a")
      .reply(200, {
        items: [
          { version: 5, is_published: false },
          { version: 4, is_published: true },
        ],
        has_more: true,
        pagination_key: "v2",
      })
      .get("/list-agent-versions/agent_a")
      .query({ pagination_key: "v2" })
      .reply(200, { items: [{ version: 2, is_published: true }], has_more: false })
      .get("/list-agent-versions/agent_b")
      .reply(200, { items: [{ version: 0, is_published: false }], has_more: false });

    const agents = await retell().listAgents();

    expect(agents).toEqual([
      {
        providerAgentId: "agent_a",
        kind: "agent",
        name: "Front desk",
        modifiedAt: null,
        published: true,
        active: true,
        version: "4",
      },
      {
        providerAgentId: "agent_b",
        kind: "agent",
        name: "agent_b",
        modifiedAt: null,
        published: false,
        active: true,
        version: null,
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("reports an agent deleted while its versions are read as inactive", async () => {
    const scope = api()
      .post("/v2/list-agents")
      .query(true)
      .reply(200, { items: [{ agent_id: "agent_gone", agent_name: "Old" }], has_more: false })
      .get("/list-agent-versions/agent_gone")
      .reply(422, { status: "error", message: "Cannot find requested asset under given api key." });
    expect(await retell().listAgents()).toEqual([
      {
        providerAgentId: "agent_gone",
        kind: "agent",
        name: "Old",
        modifiedAt: null,
        published: false,
        active: false,
        version: null,
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads one number with a literal + in the path", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(200, numberBody(NUMBER, { inbound_agents: [weight("agent_a")] }));
    expect((await retell().getNumber(REF)).inboundAgentIds).toEqual(["agent_a"]);
    expect(scope.isDone()).toBe(true);
  });

  it("maps 422 'Cannot find requested asset' to not_found naming the number", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(422, { status: "error", message: "Cannot find requested asset under given api key." });
    const error = await providerError(retell().getNumber(REF));
    expect(error).toMatchObject({
      kind: "not_found",
      status: 422,
      provider: "retell",
      operation: "get number",
    });
    expect(error.message).toBe("Retell did not find +14155550123 (is it in this Retell account?)");
    expect(scope.isDone()).toBe(true);
  });

  it("binds with one latest_published entry on both lists, and unbinds with null", async () => {
    const entry = [{ agent_id: "agent_a", agent_version: "latest_published", weight: 1 }];
    const scope = api()
      .patch(`/update-phone-number/${NUMBER}`, { inbound_agents: entry, outbound_agents: entry })
      .reply(200, numberBody(NUMBER, { inbound_agents: entry, outbound_agents: entry }))
      .patch(`/update-phone-number/${NUMBER}`, { inbound_agents: null, outbound_agents: null })
      .reply(200, numberBody(NUMBER, { inbound_agents: null, outbound_agents: null }));
    const provider = retell();
    await provider.bind(REF, { providerAgentId: "agent_a", kind: "agent" });
    await provider.unbind(REF);
    expect(scope.isDone()).toBe(true);
  });

  it("checks the key with a one-item list and reports a bad key without retrying", async () => {
    const ok = api()
      .get("/v2/list-phone-numbers")
      .query({ limit: "1" })
      .reply(200, { items: [], has_more: false });
    await retell().checkKey();
    expect(ok.isDone()).toBe(true);

    const bad = api()
      .get("/v2/list-phone-numbers")
      .query({ limit: "1" })
      .reply(401, { status: "error", message: "API key is missing or invalid." });
    const error = await providerError(retell().checkKey());
    expect(error).toMatchObject({
      kind: "auth",
      status: 401,
      providerMessage: "API key is missing or invalid.",
    });
    expect(error.message).toBe(
      "Retell rejected the API key (HTTP 401: missing or invalid): create or copy a key in the Retell dashboard (Settings → API Keys), set RETELL_API_KEY to it and restart Switchboard",
    );
    expect(error.fix).toContain("RETELL_API_KEY");
    expect(bad.isDone()).toBe(true);
  });

  it("pins a version bound on the number as it is, without reading the agent's versions", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(
        200,
        numberBody(NUMBER, { outbound_agents: [{ agent_id: "agent_a", agent_version: "prod", weight: 1 }] }),
      )
      .post("/v2/create-phone-call", {
        from_number: NUMBER,
        to_number: "+14155550199",
        override_agent_id: "agent_a",
        override_agent_version: "prod",
      })
      .reply(201, { call_id: "call_t", call_status: "registered" });
    await retell().placeCall({ from: REF, to: "+14155550199", providerAgentId: "agent_a", kind: "agent" });
    expect(scope.isDone()).toBe(true);
  });

  it("reads versions only for agents that are bound, new, or modified since the last sync", async () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const scope = api()
      .post("/v2/list-agents")
      .query(true)
      .reply(200, {
        items: [
          { agent_id: "agent_same", agent_name: "Same", user_modified_timestamp: 1000 },
          { agent_id: "agent_moved", agent_name: "Moved", user_modified_timestamp: 2000 },
          { agent_id: "agent_bound", agent_name: "Bound", user_modified_timestamp: 3000 },
          { agent_id: "agent_new", agent_name: "New", user_modified_timestamp: 4000 },
        ],
        has_more: false,
      })
      .get("/list-agent-versions/agent_moved")
      .reply(200, { items: [{ version: 2, is_published: true }], has_more: false })
      .get("/list-agent-versions/agent_bound")
      .reply(200, { items: [{ version: 0, is_published: false }], has_more: false })
      .get("/list-agent-versions/agent_new")
      .reply(200, { items: [{ version: 1, is_published: true }], has_more: false });
    const known = new Map([
      ["agent_same", { published: true, active: true, version: "7", modifiedAt: at(1000) }],
      ["agent_moved", { published: false, active: true, version: null, modifiedAt: at(1500) }],
      ["agent_bound", { published: true, active: true, version: "3", modifiedAt: at(3000) }],
    ]);
    const agents = await retell().listAgents({ known, needed: new Set(["agent_bound"]) });
    expect(agents.map((a) => [a.providerAgentId, a.published, a.version, a.modifiedAt])).toEqual([
      ["agent_same", true, "7", at(1000)],
      ["agent_moved", true, "2", at(2000)],
      ["agent_bound", false, null, at(3000)],
      ["agent_new", true, "1", at(4000)],
    ]);
    // No list-agent-versions call for agent_same: nock would have failed on an unexpected request.
    expect(scope.isDone()).toBe(true);
  });

  it("reports 402 as a billing problem, not an outage, without retrying", async () => {
    const scope = api()
      .get("/v2/list-phone-numbers")
      .query(true)
      .reply(402, { status: "error", message: "Trial has ended, please add a payment method." });
    const error = await providerError(retell().checkKey());
    expect(error).toMatchObject({ kind: "billing", status: 402 });
    expect(error.message).toBe(
      "Retell billing problem: Retell refused checking key with HTTP 402 (Trial has ended, please add a payment method.); check the account's payment method and balance in the Retell dashboard (Billing); nothing is wrong with Switchboard or the key",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("waits for Retry-After on 429, then succeeds", async () => {
    const scope = api()
      .get("/v2/list-phone-numbers")
      .query(true)
      .reply(429, { status: "error", message: "Account rate limited" }, { "Retry-After": "1" })
      .get("/v2/list-phone-numbers")
      .query(true)
      .reply(200, { items: [], has_more: false });
    expect(await elapsedMs(() => retell().listNumbers())).toBeGreaterThanOrEqual(950);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 500, then succeeds", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(500, { status: "error", message: "Internal" })
      .get(`/get-phone-number/${NUMBER}`)
      .reply(200, numberBody(NUMBER));
    expect((await retell().getNumber(REF)).e164).toBe(NUMBER);
    expect(scope.isDone()).toBe(true);
  });

  it("times out every attempt and reports a timeout", async () => {
    const scope = api().get("/v2/list-phone-numbers").query(true).times(4).delay(400).reply(200, {});
    const error = await providerError(
      createRetellProvider({ apiKey: "key_retell", ...TIMES_OUT }).listNumbers(),
    );
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "Retell is not answering (timeout after 0.2 s while listing numbers); try again in a few minutes",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("names the field when a response has the wrong shape, and says when it is not JSON", async () => {
    api()
      .get("/v2/list-phone-numbers")
      .query(true)
      .reply(200, { items: [{ phone_number: 14155550123 }], has_more: false });
    const wrong = await providerError(retell().listNumbers());
    expect(wrong).toMatchObject({ kind: "bad_response", field: "items.0.phone_number" });
    expect(wrong.message).toBe(
      "Retell answered listing numbers with an unexpected shape (field `items.0.phone_number`: expected string)",
    );

    api().get(`/get-phone-number/${NUMBER}`).reply(200, "<html>oops</html>");
    expect((await providerError(retell().getNumber(REF))).kind).toBe("bad_response");
  });

  it("places a call through an agent pinned to the published version the number answers with, and maps each call status", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(
        200,
        numberBody(NUMBER, {
          outbound_agents: [{ agent_id: "agent_a", agent_version: "latest_published", weight: 1 }],
        }),
      )
      .get("/list-agent-versions/agent_a")
      .reply(200, {
        items: [
          { version: 5, is_published: false },
          { version: 4, is_published: true },
        ],
        has_more: false,
      })
      .post("/v2/create-phone-call", {
        from_number: NUMBER,
        to_number: "+14155550199",
        override_agent_id: "agent_a",
        override_agent_version: 4,
      })
      .reply(201, { call_id: "call_abc", call_status: "registered" })
      .get("/v2/get-call/call_abc")
      .reply(200, { call_id: "call_abc", call_status: "registered" })
      .get("/v2/get-call/call_abc")
      .reply(200, { call_id: "call_abc", call_status: "ongoing" })
      .get("/v2/get-call/call_abc")
      .reply(200, {
        call_id: "call_abc",
        call_status: "ended",
        disconnection_reason: "agent_hangup",
        duration_ms: 42000,
      })
      .get("/v2/get-call/call_abc")
      .reply(200, {
        call_id: "call_abc",
        call_status: "not_connected",
        disconnection_reason: "dial_no_answer",
        duration_ms: 0,
      });
    const provider = retell();

    expect(
      await provider.placeCall({ from: REF, to: "+14155550199", providerAgentId: "agent_a", kind: "agent" }),
    ).toEqual({
      callId: "call_abc",
    });
    expect(await provider.getCall("call_abc")).toEqual({
      callId: "call_abc",
      status: "queued",
      connected: null,
      endReason: null,
      durationSec: null,
    });
    expect(await provider.getCall("call_abc")).toMatchObject({ status: "in_progress", connected: true });
    expect(await provider.getCall("call_abc")).toEqual({
      callId: "call_abc",
      status: "ended",
      connected: true,
      endReason: "agent_hangup",
      durationSec: 42,
    });
    expect(await provider.getCall("call_abc")).toEqual({
      callId: "call_abc",
      status: "ended",
      connected: false,
      endReason: "dial_no_answer",
      durationSec: 0,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("does not place a second call when the first attempt fails on the server", async () => {
    const scope = api()
      .get(`/get-phone-number/${NUMBER}`)
      .reply(200, numberBody(NUMBER, { outbound_agents: [weight("agent_a")] }))
      .post("/v2/create-phone-call", (body) => body.override_agent_version === 4)
      .reply(500, { status: "error", message: "Internal" });
    const error = await providerError(
      retell().placeCall({ from: REF, to: "+14155550199", providerAgentId: "agent_a", kind: "agent" }),
    );
    expect(error).toMatchObject({ kind: "unavailable", status: 500 });
    expect(scope.isDone()).toBe(true);
  });
});
