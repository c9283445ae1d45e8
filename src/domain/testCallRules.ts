// May a test call be placed from this number to this destination, by this person, now? Pure rules
// returning a reason code; the test-call service gathers the facts, renders the words and acts.

export type TestCallRefusal =
  | "no_agent"
  | "provider_not_configured"
  | "own_number"
  | "already_running"
  | "hourly_limit";

/** What is known about the number before anything else: enough to refuse opening the modal. */
export interface TestCallSourceFacts {
  hasAgent: boolean;
  providerConfigured: boolean;
}

export interface TestCallFacts extends TestCallSourceFacts {
  /** The destination is one of our own numbers (a call would reach an agent or nobody). */
  destinationIsOwnNumber: boolean;
  /** The requester already has a call being followed. */
  running: boolean;
  placedLastHour: number;
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
  if (facts.running) return { allowed: false, code: "already_running" };
  if (facts.placedLastHour >= facts.hourlyLimit) return { allowed: false, code: "hourly_limit" };
  return { allowed: true };
}
