// The routing findings as a table: the facts of one number and the reason codes it gets.
import { describe, expect, it } from "vitest";
import { type FindingKind, findingsFor, type NumberRoutingFacts } from "../../src/domain/routingFindings";

const agent = { providerAgentId: "a", gone: false, published: true, active: true };
const facts = (over: Partial<NumberRoutingFacts> = {}): NumberRoutingFacts => ({
  isSpare: false,
  agent,
  providerAgentIds: ["a"],
  hasOtherRouting: false,
  providerHealth: "ok",
  ...over,
});

describe("what is wrong with a number's routing?", () => {
  it.each<[string, NumberRoutingFacts, FindingKind[]]>([
    ["routes as recorded", facts(), []],
    ["a spare is never reported", facts({ isSpare: true, agent: null, providerAgentIds: [] }), []],
    ["no agent and nothing else answers", facts({ agent: null, providerAgentIds: [] }), ["unassigned"]],
    [
      "no agent but a webhook answers",
      facts({ agent: null, providerAgentIds: [], hasOtherRouting: true }),
      [],
    ],
    ["no agent recorded, one at the provider", facts({ agent: null, providerAgentIds: ["b"] }), ["drift"]],
    ["the agent is gone", facts({ agent: { ...agent, gone: true } }), ["agent_gone"]],
    [
      "the agent is gone and the provider dropped it",
      facts({ agent: { ...agent, gone: true }, providerAgentIds: [] }),
      ["agent_gone"],
    ],
    [
      "not active (and so not published)",
      facts({ agent: { ...agent, active: false, published: false } }),
      ["agent_inactive"],
    ],
    ["not published", facts({ agent: { ...agent, published: false } }), ["agent_unpublished"]],
    ["another agent at the provider", facts({ providerAgentIds: ["b"] }), ["drift"]],
    ["a weighted split", facts({ providerAgentIds: ["a", "b"] }), ["multiple_agents"]],
    ["a Bland migration split is by design", facts({ providerAgentIds: [], split: true }), []],
    [
      "outbound caller ID moved (Retell)",
      facts({ outbound: { providerAgentIds: ["b"], ours: "a" } }),
      ["drift"],
    ],
    ["outbound as recorded (Retell)", facts({ outbound: { providerAgentIds: ["a"], ours: "a" } }), []],
    [
      "the key is invalid: only the account is reported",
      facts({ providerHealth: "invalid_key", providerAgentIds: ["b"] }),
      ["provider_key_invalid"],
    ],
    ["unreachable", facts({ providerHealth: "unreachable" }), ["provider_unreachable"]],
    ["billing", facts({ providerHealth: "billing" }), ["provider_billing"]],
    ["account not active", facts({ providerHealth: "account_inactive" }), ["provider_account_inactive"]],
    [
      "unpublished and drifted",
      facts({ agent: { ...agent, published: false }, providerAgentIds: ["b"] }),
      ["agent_unpublished", "drift"],
    ],
  ])("%s", (_label, input, expected) => {
    expect(findingsFor(input)).toEqual(expected);
  });
});
