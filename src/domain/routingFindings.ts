// The seed's troubleshooting list as a pure evaluation of one number: which problems it has.
// Used by the scheduled check for every number and by `/numbers status` for one. Each finding is a
// reason code; FINDING_ADVICE says what it means and what to do.

import type { ProviderName } from "./providers";
import { agentProblem } from "./readiness";
import { keptOutbound, routesAsRecorded } from "./routing";

export type FindingKind =
  | "unassigned"
  | "agent_gone"
  | "agent_unpublished"
  | "agent_inactive"
  | "provider_key_invalid"
  | "provider_unreachable"
  | "provider_billing"
  | "provider_account_inactive"
  | "drift"
  | "multiple_agents";

export interface NumberRoutingFacts {
  isSpare: boolean;
  /** Our record of the binding. */
  agent: { providerAgentId: string; gone: boolean; published: boolean; active: boolean } | null;
  /** What the provider routed the number to at the last read. */
  providerAgentIds: string[];
  /**
   * Where the provider keeps an outbound binding on the number (Retell): what it was last seen set to,
   * and our record of it. Absent for providers that keep none.
   */
  outbound?: { providerAgentIds: string[]; ours: string | null };
  /** Webhook / server URL / fallback that can answer an unbound number at the provider. */
  hasOtherRouting: boolean;
  /**
   * Bland: the number is on a pathway that sends part of its calls to an agent (a migration split).
   * That is routing by design: never drift, never "repaired".
   */
  split?: boolean;
  providerHealth: ProviderHealthState;
}

export type ProviderHealthState =
  | "ok"
  | "invalid_key"
  | "unreachable"
  | "billing"
  | "account_inactive"
  | "unknown";

/** The `outbound` facts of a number: present only where the provider keeps an outbound binding. */
export function outboundFacts(
  provider: ProviderName,
  providerAgentIds: string[],
  ours: string | null,
): Pick<NumberRoutingFacts, "outbound"> {
  const kept = keptOutbound(provider, providerAgentIds);
  return kept ? { outbound: { providerAgentIds: kept, ours } } : {};
}

/** The finding that stands for an account problem, if the health is one. */
export const HEALTH_FINDING: Partial<Record<ProviderHealthState, FindingKind>> = {
  invalid_key: "provider_key_invalid",
  unreachable: "provider_unreachable",
  billing: "provider_billing",
  account_inactive: "provider_account_inactive",
};

export function findingsFor(facts: NumberRoutingFacts): FindingKind[] {
  if (facts.isSpare) return [];
  // Without a working account we cannot know the routing: report the account, not stale details.
  const account = HEALTH_FINDING[facts.providerHealth];
  if (account) return [account];
  const found: FindingKind[] = [];
  if (!facts.agent) {
    if (facts.providerAgentIds.length === 0 && !facts.hasOtherRouting) found.push("unassigned");
  } else {
    // A deleted or disabled agent cannot be published: "gone" or "not active" is the one thing to fix.
    const problem = agentProblem(facts.agent);
    if (problem) found.push(problem);
  }
  // Providers drop the binding of a deleted agent (Bland): that is the agent's finding, not drift.
  const agentDead = facts.agent !== null && (facts.agent.gone || !facts.agent.active);
  if (facts.providerAgentIds.length > 1) found.push("multiple_agents");
  else if (agentDead && facts.providerAgentIds.length === 0) return found;
  else if (facts.split) return found;
  else if (
    !routesAsRecorded(
      { inbound: facts.agent?.providerAgentId ?? null, outbound: facts.outbound?.ours ?? null },
      { inbound: facts.providerAgentIds, outbound: facts.outbound?.providerAgentIds ?? null },
    )
  )
    found.push("drift");
  return found;
}

/** What to do about each finding, in the seed's words. */
export const FINDING_ADVICE: Record<FindingKind, { title: string; fix: string }> = {
  unassigned: {
    title: "No agent: inbound calls are not answered",
    fix: "Assign an agent, or mark the number as a spare if that is intended.",
  },
  agent_gone: {
    title: "Bound to an agent that no longer exists at the provider",
    fix: "Assign another agent of the same provider.",
  },
  agent_unpublished: {
    title: "Agent is not published",
    fix: "Publish the agent at the provider (live calls use the published version), then re-run the check.",
  },
  agent_inactive: {
    title: "Agent is not active",
    fix: "Re-activate the agent at the provider, or assign an active one.",
  },
  provider_key_invalid: {
    title: "Provider API key is invalid",
    fix: "Verify the provider account is active and the API key is valid; update the key and restart.",
  },
  provider_unreachable: {
    title: "Provider account unreachable",
    fix: "The provider did not answer; check its status page. Switchboard retries at the next check.",
  },
  provider_billing: {
    title: "Provider billing problem",
    fix: "The provider refuses for billing (Retell HTTP 402: trial ended or no payment method): check the account's payment method in the provider's dashboard.",
  },
  provider_account_inactive: {
    title: "Provider account not active",
    fix: "The key works but the provider reports the account as not active (Bland /v1/me): check the account's status and billing in the provider's dashboard.",
  },
  drift: {
    title: "The provider routes this number differently from Switchboard's record",
    fix: "Check that the number assignment saved successfully (inbound, and outbound caller ID where the provider keeps one): restore Switchboard's binding, or keep the provider's.",
  },
  multiple_agents: {
    title: "Routed to several agents at once (weighted split)",
    fix: "A number must route to exactly one agent: keep one and remove the others.",
  },
};

/** Production numbers first, then the most serious findings. */
export const FINDING_SEVERITY: Record<FindingKind, number> = {
  provider_key_invalid: 0,
  provider_unreachable: 1,
  provider_billing: 1,
  provider_account_inactive: 1,
  unassigned: 2,
  agent_gone: 3,
  multiple_agents: 4,
  drift: 5,
  agent_inactive: 6,
  agent_unpublished: 7,
};
