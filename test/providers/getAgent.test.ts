// Reading one agent live, for the one-number checklist (`/numbers status`).
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createBlandProvider } from "../../src/providers/bland";
import { createRetellProvider } from "../../src/providers/retell";
import { createVapiProvider } from "../../src/providers/vapi";
import { FAST, providerError, useNock } from "./support";

useNock();

describe("getAgent", () => {
  it("Retell: name from get-agent, readiness from its versions", async () => {
    nock("https://api.retellai.com")
      .get("/get-agent/agent_1")
      .reply(200, { agent_id: "agent_1", agent_name: "Front desk" })
      .get("/list-agent-versions/agent_1")
      .reply(200, {
        items: [
          { version: 2, is_published: true },
          { version: 3, is_published: false },
        ],
        has_more: false,
      });
    const agent = await createRetellProvider({ apiKey: "k", ...FAST }).getAgent("agent_1");
    expect(agent).toEqual({
      providerAgentId: "agent_1",
      kind: "agent",
      name: "Front desk",
      published: true,
      active: true,
      version: "2",
    });
  });

  it("Retell: an unknown agent (422) is a not-found error naming it", async () => {
    nock("https://api.retellai.com")
      .get("/get-agent/agent_x")
      .reply(422, { status: "error", message: "Cannot find requested asset under given api key." });
    const error = await providerError(createRetellProvider({ apiKey: "k", ...FAST }).getAgent("agent_x"));
    expect(error.kind).toBe("not_found");
    expect(error.message).toContain("agent_x");
  });

  it("Vapi: an assistant that exists is live", async () => {
    nock("https://api.vapi.ai")
      .get("/assistant/as-1")
      .reply(200, { id: "as-1", createdAt: "2026-01-01T00:00:00Z", name: "Desk", latestVersion: "v3" });
    const agent = await createVapiProvider({ apiKey: "k", ...FAST }).getAgent("as-1");
    expect(agent).toMatchObject({ name: "Desk", published: true, active: true, version: "v3" });
  });

  it("Bland: a persona without a production version is not published; a deleted one is not active", async () => {
    nock("https://api.bland.ai")
      .get("/v1/personas/p-1")
      .reply(200, {
        data: {
          id: "p-1",
          name: "Desk",
          deleted_at: "2026-11-01T00:00:00Z",
          current_production_version_id: null,
          inbound_numbers: [],
        },
        errors: null,
      });
    const agent = await createBlandProvider({ apiKey: "k", ...FAST }).getAgent("p-1");
    expect(agent).toMatchObject({ kind: "persona", published: false, active: false });
  });

  it("Bland: a v2 agent is published and active when its production environment pins a version", async () => {
    const envs = (production: string | null) => [
      { id: "e1", env_type: "dev", current_version_id: null },
      { id: "e2", env_type: "staging", current_version_id: production },
      { id: "e3", env_type: "production", current_version_id: production },
    ];
    nock("https://api.bland.ai")
      .get("/v2/agents/ag-1")
      .reply(200, { data: { id: "ag-1", name: "New desk", environments: envs("ver-9") }, errors: null })
      .get("/v2/agents/ag-2")
      .reply(200, { data: { id: "ag-2", name: "Draft desk", environments: envs(null) }, errors: null });
    const bland = createBlandProvider({ apiKey: "k", ...FAST });
    expect(await bland.getAgent("ag-1", "agent")).toEqual({
      providerAgentId: "ag-1",
      kind: "agent",
      name: "New desk",
      published: true,
      active: true,
      version: "ver-9",
    });
    expect(await bland.getAgent("ag-2", "agent")).toMatchObject({ published: false, version: null });
  });

  it("Bland: an id of unknown kind that is no persona is read as a v2 agent", async () => {
    nock("https://api.bland.ai")
      .get("/v1/personas/ag-1")
      .reply(404, { data: null, errors: [{ error: "PERSONA_NOT_FOUND", message: "Persona not found." }] })
      .get("/v2/agents/ag-1")
      .reply(200, {
        data: {
          id: "ag-1",
          name: "New desk",
          environments: [{ env_type: "production", current_version_id: "v1" }],
        },
        errors: null,
      });
    expect(await createBlandProvider({ apiKey: "k", ...FAST }).getAgent("ag-1")).toMatchObject({
      kind: "agent",
      published: true,
    });
  });
});
