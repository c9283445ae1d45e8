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
    expect(agent).toMatchObject({ published: false, active: false });
  });
});
