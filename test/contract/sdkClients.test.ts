// The official clients (retell-sdk, @vapi-ai/server-sdk) driven against the loopback fake accounts:
// the fakes must accept exactly what the official clients send (paths, `+` encoding, bodies, query
// names) and answer what their response types describe, and Switchboard's own client must read the
// same state. If a fake drifted from the SDK, its type-checked response builders or these calls fail.
import { VapiClient } from "@vapi-ai/server-sdk";
import Retell from "retell-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createRetellProvider, retellBindBody } from "../../src/providers/retell";
import { createVapiProvider } from "../../src/providers/vapi";
import { FakeProviderAccount, type LoopbackProviders, serveOnLoopback } from "../harness/fakeProviders";

const FAST = { baseDelayMs: 5, timeoutMs: 2000 } as const;
let served: LoopbackProviders | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe("retell-sdk against the fake Retell account", () => {
  it("lists, reads, updates numbers and lists agents and versions as the SDK does; Switchboard reads the same", async () => {
    const retell = new FakeProviderAccount("retell")
      .addAgent({ id: "agent_front", name: "Front desk", version: "4" })
      .addAgent({ id: "agent_chat", name: "Chat bot", channel: "chat" })
      .addNumber({ e164: "+14155550101" })
      .addNumber({ e164: "+14155550102", agentIds: ["agent_front"] });
    served = await serveOnLoopback([retell]);
    const sdk = new Retell({ apiKey: retell.apiKey, baseURL: served.urls.retell, maxRetries: 0 });

    const page = await sdk.phoneNumber.list({ limit: 1000 });
    expect(page.items.map((n) => n.phone_number).sort()).toEqual(["+14155550101", "+14155550102"]);
    expect(page.items.find((n) => n.phone_number === "+14155550102")?.inbound_agents?.[0]?.agent_id).toBe(
      "agent_front",
    );

    const one = await sdk.phoneNumber.retrieve("+14155550102");
    expect(one.phone_number_type).toBe("retell-twilio");

    // The exact body Switchboard sends, through the SDK's own update.
    const updated = await sdk.phoneNumber.update("+14155550101", retellBindBody("agent_front"));
    expect(updated.inbound_agents?.map((a) => a.agent_id)).toEqual(["agent_front"]);
    expect(retell.agentIdsOf("+14155550101")).toEqual(["agent_front"]);
    expect(retell.requestsTo("PATCH", "/update-phone-number/+14155550101")).toHaveLength(1);

    const agents = await sdk.agent.list({
      limit: 1000,
      filter_criteria: { channel: { type: "string", op: "eq", value: "voice" } },
    });
    expect(agents.items.map((a) => a.agent_id)).toEqual(["agent_front"]);
    const versions = await sdk.agent.listVersions("agent_front");
    expect(versions.items.find((v) => v.is_published)?.version).toBe(4);

    const call = await sdk.call.createPhoneCall({
      from_number: "+14155550102",
      to_number: "+14155550199",
      override_agent_id: "agent_front",
      override_agent_version: 4,
    });
    expect(call.call_id).toMatch(/^call_/);

    const ours = createRetellProvider({ apiKey: retell.apiKey, baseURL: served.urls.retell, ...FAST });
    expect(
      (await ours.getNumber({ providerNumberId: "+14155550101", e164: "+14155550101" })).inboundAgentIds,
    ).toEqual(["agent_front"]);
    expect((await ours.listAgents()).map((a) => [a.providerAgentId, a.version])).toEqual([
      ["agent_front", "4"],
    ]);
  });
});

describe("@vapi-ai/server-sdk against the fake Vapi account", () => {
  it("pages, lists, reads and updates numbers and lists assistants as the SDK does; Switchboard reads the same", async () => {
    const vapi = new FakeProviderAccount("vapi")
      .addAgent({ id: "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a", name: "Vapi desk" })
      .addNumber({ e164: "+16285550101" })
      .addNumber({ e164: "+16285550102" });
    served = await serveOnLoopback([vapi]);
    const sdk = new VapiClient({ token: vapi.apiKey, environment: served.urls.vapi, maxRetries: 0 });

    const paged = await sdk.phoneNumbers.phoneNumberControllerFindAllPaginated({ page: 1, limit: 1000 });
    expect(paged.results.map((n) => ("number" in n ? n.number : null)).sort()).toEqual([
      "+16285550101",
      "+16285550102",
    ]);
    expect(paged.metadata).toMatchObject({ totalItems: 2, currentPage: 1, hasNextPage: false });

    const listed = await sdk.phoneNumbers.list({ limit: 1000 });
    expect(listed).toHaveLength(2);

    const id = vapi.refOf("+16285550101").providerNumberId;
    // The SDK forces `provider` into the body; the fake (like Vapi) accepts it and binds.
    const updated = await sdk.phoneNumbers.update({
      id,
      body: { provider: "twilio", assistantId: "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a" },
    });
    expect(updated.id).toBe(id);
    expect(vapi.agentIdsOf("+16285550101")).toEqual(["5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a"]);
    const read = await sdk.phoneNumbers.get({ id });
    expect("assistantId" in read ? read.assistantId : null).toBe("5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a");

    const assistants = await sdk.assistants.list({ limit: 1000 });
    expect(assistants.map((a) => a.name)).toEqual(["Vapi desk"]);

    const ours = createVapiProvider({ apiKey: vapi.apiKey, baseURL: served.urls.vapi, ...FAST });
    const numbers = await ours.listNumbers();
    expect(numbers.find((n) => n.e164 === "+16285550101")?.inboundAgentIds).toEqual([
      "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a",
    ]);
    expect((await ours.listAgents()).map((a) => a.name)).toEqual(["Vapi desk"]);
  });
});
