import nock from "nock";
import { describe, expect, it } from "vitest";
import { createBlandProvider } from "../../src/providers/bland";
import { elapsedMs, FAST, providerError, TIMES_OUT, useNock } from "./support";

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
/** `GET /v2/agents` (docs api-v2/get/agents): live agents under `data`. */
const agentsList = (agents: { id: string; name?: string }[] = []) =>
  api()
    .get("/v2/agents")
    .query({ limit: "500" })
    .reply(200, {
      data: agents.map((a) => ({
        id: a.id,
        org_id: "org-1",
        name: a.name ?? `Agent ${a.id}`,
        created_by: null,
        created_at: "2026-10-01T00:00:00Z",
        updated_at: "2026-10-02T00:00:00Z",
      })),
      errors: null,
    });
/** `GET /v2/agents/{id}/inbound`: the persona numbers attached to the agent route through (null before any attach). */
const agentInbound = (id: string, personaId: string | null) =>
  api()
    .get(`/v2/agents/${id}/inbound`)
    .reply(200, { data: { agent_id: id, persona_id: personaId }, errors: null });
const environments = (id: string, production: string | null) =>
  api()
    .get(`/v2/agents/${id}/environments`)
    .reply(200, {
      data: [
        { id: "e-dev", env_type: "dev", current_version_id: null },
        { id: "e-stg", env_type: "staging", current_version_id: production },
        { id: "e-prd", env_type: "production", current_version_id: production },
      ],
      errors: null,
    });

describe("Bland provider", () => {
  it("lists personas on every page; deleted ones are inactive, unpublished ones have no version", async () => {
    const full = Array.from({ length: 100 }, (_, i) => persona(`p${i}`));
    personasPage(1, full);
    personasPage(2, [
      persona("draft-only", [], { current_production_version_id: null }),
      persona("gone", [], { deleted_at: "2026-06-01T00:00:00Z" }),
    ]);
    agentsList();

    const agents = await bland().listAgents();

    expect(agents).toHaveLength(102);
    expect(agents[0]).toEqual({
      providerAgentId: "p0",
      kind: "persona",
      name: "Persona p0",
      published: true,
      active: true,
      version: "prod-p0",
    });
    expect(agents.slice(100)).toEqual([
      {
        providerAgentId: "draft-only",
        kind: "persona",
        name: "Persona draft-only",
        published: false,
        active: true,
        version: null,
      },
      {
        providerAgentId: "gone",
        kind: "persona",
        name: "Persona gone",
        published: true,
        active: false,
        version: "prod-gone",
      },
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
    agentsList();
    api()
      .get("/v1/convo_pathway/pw-1/migration_split")
      .reply(200, { data: { migration_split: null }, errors: null });

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
    agentsList();
    expect(await bland().getNumber(REF)).toMatchObject({
      inboundAgentIds: ["front"],
      otherRouting: { pathwayId: "pw-9" },
    });
    expect(nock.pendingMocks()).toEqual([]);

    api().get(`/v1/inbound/${NUMBER}`).reply(404, { status: "error", message: "Phone number not found." });
    personasPage(1, []);
    agentsList();
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
    agentsList();
    const writes = api()
      .post("/v1/personas/old/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("old", []))
      .post("/v1/personas/new/inbound/attach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("new", [NUMBER]));
    await bland().bind(REF, { providerAgentId: "new", kind: "persona" });
    expect(writes.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("leaves a number already on the persona alone", async () => {
    const scope = personasPage(1, [persona("new", [NUMBER])]);
    agentsList();
    await bland().bind(REF, { providerAgentId: "new", kind: "persona" });
    expect(scope.isDone()).toBe(true);
  });

  it("unbinds by detaching from the persona holding it, and makes no call when none does", async () => {
    personasPage(1, [persona("front", [NUMBER])]);
    agentsList();
    const detach = api()
      .post("/v1/personas/front/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("front", []));
    await bland().unbind(REF);
    expect(detach.isDone()).toBe(true);

    const list = personasPage(1, [persona("front")]);
    agentsList();
    await bland().unbind(REF);
    expect(list.isDone()).toBe(true);
  });

  it("treats a 200 carrying errors as a rejection", async () => {
    personasPage(1, []);
    agentsList();
    api()
      .post("/v1/personas/new/inbound/attach")
      .reply(200, {
        data: null,
        errors: [{ error: "NOT_OWNED", message: "Number does not belong to this account" }],
      });
    const error = await providerError(bland().bind(REF, { providerAgentId: "new", kind: "persona" }));
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
    agentsList();
    expect(await bland().listAgents()).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("times out every attempt and reports a timeout", async () => {
    const scope = api().get("/v1/me").times(4).delay(400).reply(200, { status: "active" });
    const error = await providerError(createBlandProvider({ apiKey: "org_rawkey", ...TIMES_OUT }).checkKey());
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
    agentsList();
    const error = await providerError(bland().listAgents());
    expect(error).toMatchObject({ kind: "bad_response", field: "data.0.id" });
    expect(error.message).toBe(
      "Bland answered listing personas with an unexpected shape (field `data.0.id`: expected string)",
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

    expect(
      await provider.placeCall({ from: REF, to: "+14155550199", providerAgentId: "front", kind: "persona" }),
    ).toEqual({
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

  it("lists v2 agents beside personas: published when production pins a version; backing personas are not agents", async () => {
    personasPage(1, [persona("front"), persona("backing-of-new", [NUMBER])]);
    agentsList([
      { id: "ag-new", name: "New desk" },
      { id: "ag-draft", name: "Draft desk" },
    ]);
    agentInbound("ag-new", "backing-of-new");
    agentInbound("ag-draft", null);
    environments("ag-new", "ver-3");
    environments("ag-draft", null);

    const agents = await bland().listAgents();

    expect(agents).toEqual([
      {
        providerAgentId: "ag-new",
        kind: "agent",
        name: "New desk",
        published: true,
        active: true,
        version: "ver-3",
      },
      {
        providerAgentId: "ag-draft",
        kind: "agent",
        name: "Draft desk",
        published: false,
        active: true,
        version: null,
      },
      {
        providerAgentId: "front",
        kind: "persona",
        name: "Persona front",
        published: true,
        active: true,
        version: "prod-front",
      },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("maps numbers to v2 agents through each agent's backing persona, read by id when the list leaves it out", async () => {
    api()
      .get("/v1/inbound")
      .reply(200, {
        inbound_numbers: [
          { phone_number: NUMBER, prompt: null, pathway_id: null },
          { phone_number: "+14155550188", prompt: null, pathway_id: null },
        ],
      });
    personasPage(1, [persona("front", ["+14155550188"])]);
    agentsList([{ id: "ag-new" }]);
    agentInbound("ag-new", "backing-1");
    api()
      .get("/v1/personas/backing-1")
      .reply(200, { data: persona("backing-1", [NUMBER]), errors: null });

    const numbers = await bland().listNumbers();

    expect(numbers.map((n) => [n.e164, n.inboundAgentIds])).toEqual([
      [NUMBER, ["ag-new"]],
      ["+14155550188", ["front"]],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("shows a pathway on a migration split as split routing, not as an agent binding", async () => {
    api().get(`/v1/inbound/${NUMBER}`).reply(200, { phone_number: NUMBER, prompt: null, pathway_id: "pw-1" });
    personasPage(1, []);
    agentsList([{ id: "ag-new" }]);
    agentInbound("ag-new", null);
    api()
      .get("/v1/convo_pathway/pw-1/migration_split")
      .reply(200, {
        data: { migration_split: { agent_id: "ag-new", v2_percentage: 30, request_policy: "honor" } },
        errors: null,
      });

    const number = await bland().getNumber(REF);

    expect(number.inboundAgentIds).toEqual([]);
    expect(number.otherRouting).toEqual({
      pathwayId: "pw-1",
      migrationSplit: { pathwayId: "pw-1", agentId: "ag-new", percentage: 30 },
    });
  });

  it("binds a v2 agent with one attach call, which replaces the persona binding", async () => {
    personasPage(1, [persona("old", [NUMBER])]);
    agentsList([{ id: "ag-new" }]);
    agentInbound("ag-new", null);
    const attach = api()
      .post("/v2/agents/ag-new/inbound/attach", { inbound_numbers: [NUMBER] })
      .reply(200, { data: { agent_id: "ag-new", persona_id: "backing-1" }, errors: null });

    await bland().bind(REF, { providerAgentId: "ag-new", kind: "agent" });

    expect(attach.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("unbinds a v2 agent with detach", async () => {
    personasPage(1, []);
    agentsList([{ id: "ag-new" }]);
    agentInbound("ag-new", "backing-1");
    api()
      .get("/v1/personas/backing-1")
      .reply(200, { data: persona("backing-1", [NUMBER]), errors: null });
    const detach = api()
      .post("/v2/agents/ag-new/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, { data: { agent_id: "ag-new", detached_count: 1 }, errors: null });

    await bland().unbind(REF);

    expect(detach.isDone()).toBe(true);
  });

  it("puts the old persona back when attaching the new one fails after the detach, and says so", async () => {
    personasPage(1, [persona("old", [NUMBER]), persona("new")]);
    agentsList();
    const calls = api()
      .post("/v1/personas/old/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("old", []))
      .post("/v1/personas/new/inbound/attach")
      .reply(400, {
        data: null,
        errors: [{ error: "PERSONA_DELETED", message: "Persona has been deleted." }],
      })
      .post("/v1/personas/old/inbound/attach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("old", [NUMBER]));

    const error = await providerError(bland().bind(REF, { providerAgentId: "new", kind: "persona" }));

    expect(calls.isDone()).toBe(true);
    expect(error).toMatchObject({ kind: "rejected", restored: true });
    expect(error.bindingLost).toBeUndefined();
    expect(error.message).toContain("put +14155550123 back on persona old, so it still answers as before");
  });

  it("says the number answers no calls when the restore fails too", async () => {
    personasPage(1, [persona("old", [NUMBER]), persona("new")]);
    agentsList();
    api()
      .post("/v1/personas/old/inbound/detach")
      .reply(200, envelope("old", []))
      .post("/v1/personas/new/inbound/attach")
      .reply(400, {
        data: null,
        errors: [{ error: "PERSONA_DELETED", message: "Persona has been deleted." }],
      })
      .post("/v1/personas/old/inbound/attach")
      .reply(400, {
        data: null,
        errors: [{ error: "NUMBER_NOT_OWNED", message: "Number not on this account." }],
      });

    const error = await providerError(bland().bind(REF, { providerAgentId: "new", kind: "persona" }));

    expect(error).toMatchObject({ bindingLost: true });
    expect(error.message).toMatch(/now answers no calls\.$/);
  });

  it("moves a number from a v2 agent to a persona: detach from the agent, then attach the persona", async () => {
    personasPage(1, [persona("front")]);
    agentsList([{ id: "ag-new" }]);
    agentInbound("ag-new", "backing-1");
    api()
      .get("/v1/personas/backing-1")
      .reply(200, { data: persona("backing-1", [NUMBER]), errors: null });
    const writes = api()
      .post("/v2/agents/ag-new/inbound/detach", { inbound_numbers: [NUMBER] })
      .reply(200, { data: { agent_id: "ag-new", detached_count: 1 }, errors: null })
      .post("/v1/personas/front/inbound/attach", { inbound_numbers: [NUMBER] })
      .reply(200, envelope("front", [NUMBER]));

    await bland().bind(REF, { providerAgentId: "front", kind: "persona" });

    expect(writes.isDone()).toBe(true);
  });

  it("places a test call through a v2 agent with agent_id, and reports Bland's AGENT_ENV_UNPINNED refusal", async () => {
    const ok = api()
      .post("/v1/calls", { phone_number: "+14155550199", from: NUMBER, agent_id: "ag-new" })
      .reply(200, { status: "success", call_id: "c-9", batch_id: null });
    expect(
      await bland().placeCall({ from: REF, to: "+14155550199", providerAgentId: "ag-new", kind: "agent" }),
    ).toEqual({ callId: "c-9" });
    expect(ok.isDone()).toBe(true);

    api()
      .post("/v1/calls")
      .reply(400, {
        data: null,
        errors: [
          {
            error: "BAD_REQUEST",
            message:
              'Agent cannot serve calls yet (AGENT_ENV_UNPINNED): Agent has no version deployed to "production"; deploy one or pass agent_version',
          },
        ],
      });
    const error = await providerError(
      bland().placeCall({ from: REF, to: "+14155550199", providerAgentId: "ag-draft", kind: "agent" }),
    );
    expect(error.kind).toBe("rejected");
    expect(error.providerMessage).toContain("AGENT_ENV_UNPINNED");
  });

  it("reports an account whose /v1/me status is not active as inactive, with what to do", async () => {
    api()
      .get("/v1/me")
      .reply(200, { status: "suspended", billing: { current_balance: 0 } });
    const error = await providerError(bland().checkKey());
    expect(error).toMatchObject({ kind: "account_inactive" });
    expect(error.message).toBe(
      'the Bland account is "suspended", not active: open the Bland dashboard and check the account\'s status and billing; Bland does not route calls for an inactive account',
    );
  });

  it("refuses a full /v2/agents answer rather than treat agents past it as deleted", async () => {
    personasPage(1, []);
    agentsList(Array.from({ length: 500 }, (_, i) => ({ id: `ag-${i}` })));
    const error = await providerError(bland().listAgents());
    expect(error).toMatchObject({ kind: "bad_response", field: "data" });
    expect(error.message).toContain("may be incomplete");
  });
});
