// Test-call permission as a table: each row a situation and the reason code (or none).
import { describe, expect, it } from "vitest";
import {
  type DestinationPattern,
  decideTestCall,
  decideTestCallSource,
  destinationAllowed,
  parseDestinationPattern,
  type TestCallDecision,
  type TestCallFacts,
} from "../../src/domain/testCallRules";

const facts = (over: Partial<TestCallFacts> = {}): TestCallFacts => ({
  hasAgent: true,
  providerConfigured: true,
  destinationIsOwnNumber: false,
  destinationAllowed: true,
  running: false,
  placedLastHour: 0,
  numberPlacedLastHour: 0,
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
      "the destination is neither the profile phone nor listed",
      facts({ destinationAllowed: false }),
      { allowed: false, code: "destination_not_allowed", field: "destination" },
    ],
    [
      "the number reached the limit across people",
      facts({ numberPlacedLastHour: 10 }),
      { allowed: false, code: "number_hourly_limit" },
    ],
    ["the number one below the limit", facts({ numberPlacedLastHour: 9 }), { allowed: true }],
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

describe("where may a test call ring?", () => {
  const patterns = (...texts: string[]) => texts.map((t) => parseDestinationPattern(t)!);
  it.each<[string, string, string | null, DestinationPattern[], boolean]>([
    ["the requester's own profile phone, nothing listed", "+12125550147", "+12125550147", [], true],
    ["anyone else's number, nothing listed", "+12125550148", "+12125550147", [], false],
    ["no profile phone and nothing listed", "+12125550147", null, [], false],
    ["a listed number", "+442071838750", null, patterns("+442071838750"), true],
    ["a number under a listed prefix", "+442071838751", null, patterns("+4420*"), true],
    ["a number outside every listed prefix", "+33142278186", null, patterns("+4420*", "+1212*"), false],
    ["a prefix is not a number: +1 does not list +12", "+1", null, patterns("+12*"), false],
  ])("%s", (_label, destination, profilePhone, list, allowed) => {
    expect(destinationAllowed(destination, { profilePhone, patterns: list })).toBe(allowed);
  });

  it.each<[string, DestinationPattern | null]>([
    ["+442071838750", { kind: "exact", e164: "+442071838750" }],
    [" +4420* ", { kind: "prefix", prefix: "+4420" }],
    ["+*", null],
    ["4420*", null],
    ["+44 20 7183 8750", null],
    ["+4420**", null],
    ["*", null],
    ["+0123456789", null],
  ])("reads %j as %j", (text, pattern) => {
    expect(parseDestinationPattern(text)).toEqual(pattern);
  });
});
