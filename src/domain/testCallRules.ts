// May a test call be placed from this number to this destination, by this person, now? Pure rules
// returning a reason code; the test-call service gathers the facts, renders the words and acts.

export type TestCallRefusal =
  | "no_agent"
  | "provider_not_configured"
  | "own_number"
  | "destination_not_allowed"
  | "already_running"
  | "hourly_limit"
  | "number_hourly_limit";

/** What is known about the number before anything else: enough to refuse opening the modal. */
export interface TestCallSourceFacts {
  hasAgent: boolean;
  providerConfigured: boolean;
}

export interface TestCallFacts extends TestCallSourceFacts {
  /** The destination is one of our own numbers (a call would reach an agent or nobody). */
  destinationIsOwnNumber: boolean;
  /** The destination is the requester's own profile phone or matches TEST_CALL_DESTINATIONS. */
  destinationAllowed: boolean;
  /** The requester already has a call being followed. */
  running: boolean;
  placedLastHour: number;
  /** Calls placed from this number in the last hour, by anyone. */
  numberPlacedLastHour: number;
  /** TEST_CALLS_PER_HOUR: per person, and per number across people. */
  hourlyLimit: number;
}

export type TestCallDecision =
  | { allowed: true }
  | { allowed: false; code: TestCallRefusal; field?: "number" | "destination" };

/** Whether a call from this number could reach an agent at all (asked before the modal opens). */
export function decideTestCallSource(facts: TestCallSourceFacts): TestCallDecision {
  if (!facts.hasAgent) return { allowed: false, code: "no_agent", field: "number" };
  if (!facts.providerConfigured) return { allowed: false, code: "provider_not_configured" };
  return { allowed: true };
}

export function decideTestCall(facts: TestCallFacts): TestCallDecision {
  const source = decideTestCallSource(facts);
  if (!source.allowed) return source;
  if (facts.destinationIsOwnNumber) return { allowed: false, code: "own_number", field: "destination" };
  if (!facts.destinationAllowed)
    return { allowed: false, code: "destination_not_allowed", field: "destination" };
  if (facts.running) return { allowed: false, code: "already_running" };
  if (facts.placedLastHour >= facts.hourlyLimit) return { allowed: false, code: "hourly_limit" };
  if (facts.numberPlacedLastHour >= facts.hourlyLimit) return { allowed: false, code: "number_hourly_limit" };
  return { allowed: true };
}

/** One entry of TEST_CALL_DESTINATIONS: an E.164 number, or `+prefix*` (every number starting so). */
export type DestinationPattern = { kind: "exact"; e164: string } | { kind: "prefix"; prefix: string };

/** Reads one TEST_CALL_DESTINATIONS entry; null when it is neither form. */
export function parseDestinationPattern(text: string): DestinationPattern | null {
  const t = text.trim();
  const prefix = /^(\+\d{1,14})\*$/.exec(t);
  if (prefix) return { kind: "prefix", prefix: prefix[1]! };
  if (/^\+[1-9]\d{6,14}$/.test(t)) return { kind: "exact", e164: t };
  return null;
}

/**
 * Where a test call may ring: by default only the requester's own Slack profile phone (a call from a
 * company number to anyone else is not a test); TEST_CALL_DESTINATIONS widens it.
 */
export function destinationAllowed(
  destination: string,
  facts: { profilePhone: string | null; patterns: readonly DestinationPattern[] },
): boolean {
  if (facts.profilePhone !== null && destination === facts.profilePhone) return true;
  return facts.patterns.some((p) =>
    p.kind === "exact" ? p.e164 === destination : destination.startsWith(p.prefix),
  );
}
