// Is an agent ready to take a number's calls? One pure answer with reason codes, used by approval
// requests (the target's readiness), the checklist, the routing findings and test calls.

export type NotReadyReason = "agent_gone" | "agent_inactive" | "agent_unpublished" | "key_invalid";

export interface ReadinessFacts {
  /** No longer exists at the provider. */
  gone: boolean;
  /** A published (production) version that live calls use. */
  published: boolean;
  /** Not deleted or disabled at the provider. */
  active: boolean;
  /** The provider account's key works and the account is active; omitted when not known. */
  keyValid?: boolean;
}

export interface Readiness {
  ready: boolean;
  /** Empty when ready. */
  reasons: NotReadyReason[];
}

/** Every reason that applies, most fundamental first (gone, inactive, unpublished, key). */
export function readiness(facts: ReadinessFacts): Readiness {
  const reasons: NotReadyReason[] = [];
  if (facts.gone) reasons.push("agent_gone");
  if (!facts.active) reasons.push("agent_inactive");
  if (!facts.published) reasons.push("agent_unpublished");
  if (facts.keyValid === false) reasons.push("key_invalid");
  return { ready: reasons.length === 0, reasons };
}

/** The one thing to fix about the agent itself: a gone or inactive agent cannot be published. */
export function agentProblem(facts: ReadinessFacts): Exclude<NotReadyReason, "key_invalid"> | null {
  const [first] = readiness({ ...facts, keyValid: true }).reasons;
  return (first as Exclude<NotReadyReason, "key_invalid"> | undefined) ?? null;
}

/** Provider health states in which the key cannot be trusted (approval cards show "key invalid"). */
export function keyValidFor(health: string | null | undefined): boolean {
  return !["invalid_key", "billing", "account_inactive"].includes(health ?? "unknown");
}
