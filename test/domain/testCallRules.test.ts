// Test-call permission as a table: each row a situation and the reason code (or none).
import { describe, expect, it } from "vitest";
import {
  decideTestCall,
  decideTestCallSource,
  type TestCallDecision,
  type TestCallFacts,
} from "../../src/domain/testCallRules";

const facts = (over: Partial<TestCallFacts> = {}): TestCallFacts => ({
  hasAgent: true,
  providerConfigured: true,
  destinationIsOwnNumber: false,
  running: false,
  placedLastHour: 0,
  hourlyLimit: 10,
  ...over,
});

describe("may this test call be placed?", () => {
  it.each<[string, TestCallFacts, TestCallDecision]>([
    ["everything in order", facts(), { allowed: true }],
    [
      "the number has no agent",
      facts({ hasAgent: false }),
      { allowed: false, code: "no_agent", field: "number" },
    ],
    [
      "the provider is not configured",
      facts({ providerConfigured: false }),
      { allowed: false, code: "provider_not_configured" },
    ],
    [
      "the destination is one of our numbers",
      facts({ destinationIsOwnNumber: true }),
      { allowed: false, code: "own_number", field: "destination" },
    ],
    ["a call is already running", facts({ running: true }), { allowed: false, code: "already_running" }],
    ["the hourly limit is reached", facts({ placedLastHour: 10 }), { allowed: false, code: "hourly_limit" }],
    ["one below the limit", facts({ placedLastHour: 9 }), { allowed: true }],
    [
      "no agent wins over everything else",
      facts({ hasAgent: false, running: true, placedLastHour: 99 }),
      { allowed: false, code: "no_agent", field: "number" },
    ],
    [
      "own number before the limit",
      facts({ destinationIsOwnNumber: true, placedLastHour: 99 }),
      { allowed: false, code: "own_number", field: "destination" },
    ],
  ])("%s", (_label, input, decision) => {
    expect(decideTestCall(input)).toEqual(decision);
  });

  it.each<[string, { hasAgent: boolean; providerConfigured: boolean }, TestCallDecision]>([
    [
      "a number with an agent at a configured provider",
      { hasAgent: true, providerConfigured: true },
      { allowed: true },
    ],
    [
      "a number with no agent",
      { hasAgent: false, providerConfigured: true },
      { allowed: false, code: "no_agent", field: "number" },
    ],
    [
      "a provider with no key",
      { hasAgent: true, providerConfigured: false },
      { allowed: false, code: "provider_not_configured" },
    ],
  ])("before the modal opens: %s", (_label, input, decision) => {
    expect(decideTestCallSource(input)).toEqual(decision);
  });
});
