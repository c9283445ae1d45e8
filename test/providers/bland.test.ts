import nock from "nock";
import { describe, expect, it } from "vitest";
import { createBlandProvider } from "../../src/providers/bland";
import { elapsedMs, FAST, providerError, useNock } from "./support";

useNock();

const BASE = "https://api.bland.ai";
const NUMBER = "+14155550123";
const REF = { providerNumberId: NUMBER, e164: NUMBER };
const bland = () => createBlandProvider({ apiKey: "org_rawkey", ...FAST });
// The raw key, exactly: a "Bearer " prefix must not match.
const api = () => nock(BASE, { reqheaders: { authorization: "org_rawkey" } });

const persona = (id: string, numbers: string[] = [], extra: object = {}) => ({
  id,
  name: `Persona ${id}`,
  role: "Receptionist",
  deleted_at: null,
  current_production_version_id: `prod-${id}`,
  current_draft_version_id: `draft-${id}`,
  inbound_numbers: numbers.map((phone_number) => ({
    phone_number,
    label: null,
    persona_id: id,
    persona_settings: null,
  })),
  ...extra,
});
const personasPage = (page: number, data: object[]) =>
  api()
    .get("/v1/personas")
    .query({ page: String(page), limit: "100" })
    .reply(200, { data, errors: null });
const envelope = (id: string, numbers: string[]) => ({ data: persona(id, numbers), errors: null });

describe("Bland provider", () => {
  it("lists personas on every page; deleted ones are inactive, unpublished ones have no version", async () => {
    const full = Array.from({ length: 100 }, (_, i) => persona(`p${i}`));
    personasPage(1, full);
    personasPage(2, [
      persona("draft-only", [], { current_production_version_id: null }),
      persona("gone", [], { deleted_at: "2026-06-01T00:00:00Z" }),
    ]);

    const agents = await bland().listAgents();

    expect(agents).toHaveLength(102);
    expect(agents[0]).toEqual({
      providerAgentId: "p0",
      name: "Persona p0",
      published: true,
      active: true,
      version: "prod-p0",
    });
    expect(agents.slice(100)).toEqual([
      {
        providerAgentId: "draft-only",
        name: "Persona draft-only",
        published: false,
        active: true,
        version: null,
      },
      { providerAgentId: "gone", name: "Persona gone", published: true, active: false, version: "prod-gone" },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("lists numbers with their persona, pathway and inline prompt", async () => {
    const scope = api()
      .get("/v1/inbound")
      .reply(200, {
        inbound_numbers: [
          { phone_number: NUMBER, prompt: null, pathway_id: null, webhook: null, max_duration: 30 },
          { phone_number: "+14155550188", prompt: "You answer for Acme.", pathway_id: null },
          { phone_number: "+14155550199", prompt: "  ", pathway_id: "pw-1" },
        ],
      });
    personasPage(1, [
      persona("front", [NUMBER]),
      persona("gone", ["+14155550188"], { deleted_at: "2026-06-01T00:00:00Z" }),
    ]);

    expect(await bland().listNumbers()).toEqual([
      {
        providerNumberId: NUMBER,
        e164: NUMBER,
        nickname: null,
        inboundAgentIds: ["front"],
        outboundAgentIds: [],
        otherRouting: null,
      },
      {
        providerNumberId: "+14155550188",
        e164: "+14155550188",
        nickname: null,
        inboundAgentIds: [],
        outboundAgentIds: [],
        otherRouting: { inlinePrompt: true },
      },
      {
        providerNumberId: "+14155550199",
        e164: "+14155550199",
        nickname: null,
        inboundAgentIds: [],
        outboundAgentIds: [],
        otherRouting: { pathwayId: "pw-1" },
      },
    ]);
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reads one number with a literal + in the path, and maps 404 to not_found", async () => {
    api().get(`/v1/inbound/${NUMBER}`).reply(200, { phone_number: NUMBER, prompt: null, pathway_id: "pw-9" });
    personasPage(1, [persona("front", [NUMBER])]);
    expect(await bland().getNumber(REF)).toMatchObject({
      inboundAgentIds: ["front"],
      otherRouting: { pathwayId: "pw-9" },
    });
    expect(nock.pendingMocks()).toEqual([]);

    api().get(`/v1/inbound/${NUMBER}`).reply(404, { status: "error", message: "Phone number not found." });
    personasPage(1, []);
    const error = await providerError(bland().getNumber(REF));
    expect(error).toMatchObject({
      kind: "not_found",
      status: 404,
      providerMessage: "Phone number not found.",
    });
    expect(error.message).toBe("Bland did not find +14155550123 (is it in this Bland account?)");
  });

  it("moves a number: detaches it from its current persona, then attaches it to the new one", async () => {
    personasPage(1, [persona("old", [NUMBER]), persona("new")]);
    const writes = api()
      .post("/v1/personas/old/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("old", []))
      .post("/v1/personas/new/inbound/attach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("new", [NUMBER]));
    await bland().bind(REF, "new");
    expect(writes.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("leaves a number already on the persona alone", async () => {
    const scope = personasPage(1, [persona("new", [NUMBER])]);
    await bland().bind(REF, "new");
    expect(scope.isDone()).toBe(true);
  });

  it("unbinds by detaching from the persona holding it, and makes no call when none does", async () => {
    personasPage(1, [persona("front", [NUMBER])]);
    const detach = api()
      .post("/v1/personas/front/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("front", []));
    await bland().unbind(REF);
    expect(detach.isDone()).toBe(true);

    const list = personasPage(1, [persona("front")]);
    await bland().unbind(REF);
    expect(list.isDone()).toBe(true);
  });

  it("treats a 200 carrying errors as a rejection", async () => {
    personasPage(1, []);
    api()
      .post("/v1/personas/new/inbound/attach")
      .reply(200, {
        data: null,
        errors: [{ error: "NOT_OWNED", message: "Number does not belong to this account" }],
      });
    const error = await providerError(bland().bind(REF, "new"));
    expect(error).toMatchObject({
      kind: "rejected",
      status: 200,
      operation: "attach number",
      providerMessage: "Number does not belong to this account",
    });
    expect(error.message).toBe(
      "Bland refused attaching number +14155550123 or persona new: Number does not belong to this account; check the request or the Bland account",
    );
  });

  it("checks the key with /v1/me and reports a bad key", async () => {
    const ok = api()
      .get("/v1/me")
      .reply(200, { status: "active", billing: { current_balance: 42.5 } });
    await bland().checkKey();
    expect(ok.isDone()).toBe(true);

    const bad = api()
      .get("/v1/me")
      .reply(401, { data: null, errors: [{ message: "Invalid API key" }] });
    const error = await providerError(bland().checkKey());
    expect(error).toMatchObject({ kind: "auth", status: 401, providerMessage: "Invalid API key" });
    expect(error.message).toBe("the Bland API key is invalid or lacks permission: check BLAND_API_KEY");
    expect(bad.isDone()).toBe(true);
  });

  it("waits for Retry-After on 429, then succeeds", async () => {
    const scope = api()
      .get("/v1/me")
      .reply(429, {}, { "Retry-After": "1" })
      .get("/v1/me")
      .reply(200, { status: "active" });
    expect(await elapsedMs(() => bland().checkKey())).toBeGreaterThanOrEqual(950);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 503, then succeeds", async () => {
    const scope = api()
      .get("/v1/personas")
      .query(true)
      .reply(503, "Service Unavailable")
      .get("/v1/personas")
      .query(true)
      .reply(200, { data: [], errors: null });
    expect(await bland().listAgents()).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("times out every attempt and reports a timeout", async () => {
    const scope = api().get("/v1/me").times(4).delay(400).reply(200, { status: "active" });
    const error = await providerError(bland().checkKey());
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "Bland is not answering (timeout after 0.2 s while checking key); try again in a few minutes",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("names the failing field of a malformed persona list", async () => {
    api()
      .get("/v1/personas")
      .query(true)
      .reply(200, { data: [{ id: 17, name: "bad" }], errors: null });
    const error = await providerError(bland().listAgents());
    expect(error).toMatchObject({ kind: "bad_response", field: "data.0.id" });
    expect(error.message).toBe(
      "Bland answered listing agents with an unexpected shape (field `data.0.id`: expected string)",
    );
  });

  it("places a call with the persona and maps call progress", async () => {
    const scope = api()
      .post("/v1/calls", { phone_number: "+14155550199", from: NUMBER, persona_id: "front" })
      .reply(200, { status: "success", message: "Call successfully queued.", call_id: "c-1", batch_id: null })
      .get("/v1/calls/c-1")
      .reply(200, { call_id: "c-1", completed: false, queue_status: "queued" })
      .get("/v1/calls/c-1")
      .reply(200, { call_id: "c-1", completed: false, queue_status: "started" })
      .get("/v1/calls/c-1")
      .reply(200, {
        call_id: "c-1",
        completed: true,
        queue_status: "complete",
        status: "completed",
        answered_by: "human",
        call_length: 0.7,
      })
      .get("/v1/calls/c-1")
      .reply(200, {
        call_id: "c-1",
        completed: true,
        queue_status: "complete",
        status: "busy",
        call_length: 0,
      })
      .get("/v1/calls/c-1")
      .reply(200, {
        call_id: "c-1",
        completed: false,
        queue_status: "queue_error",
        error_message: "Area not serviced",
      });
    const provider = bland();

    expect(await provider.placeCall({ from: REF, to: "+14155550199", providerAgentId: "front" })).toEqual({
      callId: "c-1",
    });
    expect(await provider.getCall("c-1")).toEqual({
      callId: "c-1",
      status: "queued",
      connected: null,
      endReason: null,
      durationSec: null,
    });
    expect(await provider.getCall("c-1")).toMatchObject({ status: "in_progress", connected: true });
    expect(await provider.getCall("c-1")).toEqual({
      callId: "c-1",
      status: "ended",
      connected: true,
      endReason: "completed",
      durationSec: 42,
    });
    expect(await provider.getCall("c-1")).toEqual({
      callId: "c-1",
      status: "ended",
      connected: false,
      endReason: "busy",
      durationSec: 0,
    });
    expect(await provider.getCall("c-1")).toEqual({
      callId: "c-1",
      status: "ended",
      connected: false,
      endReason: "Area not serviced",
      durationSec: null,
    });
    expect(scope.isDone()).toBe(true);
  });
});
