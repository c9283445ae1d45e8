// Agent readiness as a table: ready, or every reason it is not.
import { describe, expect, it } from "vitest";
import {
  agentProblem,
  keyValidFor,
  type NotReadyReason,
  type ReadinessFacts,
  readiness,
} from "../../src/domain/readiness";

const agent = (over: Partial<ReadinessFacts> = {}): ReadinessFacts => ({
  gone: false,
  published: true,
  active: true,
  ...over,
});

describe("is the agent ready?", () => {
  it.each<[string, ReadinessFacts, NotReadyReason[]]>([
    ["published, active, key unknown", agent(), []],
    ["published, active, key valid", agent({ keyValid: true }), []],
    ["not published", agent({ published: false }), ["agent_unpublished"]],
    ["not active", agent({ active: false }), ["agent_inactive"]],
    [
      "gone (and so neither)",
      agent({ gone: true, active: false, published: false }),
      ["agent_gone", "agent_inactive", "agent_unpublished"],
    ],
    ["key invalid", agent({ keyValid: false }), ["key_invalid"]],
    [
      "not published and key invalid",
      agent({ published: false, keyValid: false }),
      ["agent_unpublished", "key_invalid"],
    ],
  ])("%s", (_label, facts, reasons) => {
    const answer = readiness(facts);
    expect(answer.reasons).toEqual(reasons);
    expect(answer.ready).toBe(reasons.length === 0);
  });

  it.each<[string, ReadinessFacts, ReturnType<typeof agentProblem>]>([
    ["ready", agent(), null],
    ["a gone agent is gone, not unpublished", agent({ gone: true, published: false }), "agent_gone"],
    [
      "an inactive agent cannot be published: inactive is the thing to fix",
      agent({ active: false, published: false }),
      "agent_inactive",
    ],
    ["only unpublished", agent({ published: false }), "agent_unpublished"],
    ["the key is not the agent's problem", agent({ keyValid: false }), null],
  ])("the agent's one problem: %s", (_label, facts, problem) => {
    expect(agentProblem(facts)).toBe(problem);
  });

  it.each([
    ["ok", true],
    ["unknown", true],
    [null, true],
    ["unreachable", true],
    ["invalid_key", false],
    ["billing", false],
    ["account_inactive", false],
  ] as const)("provider health %s → key valid %s", (health, valid) => {
    expect(keyValidFor(health)).toBe(valid);
  });
});
