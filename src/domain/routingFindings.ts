// The seed's troubleshooting list as a pure evaluation of one number: which problems it has.
// Used by the scheduled check for every number and by `/numbers status` for one.

export type FindingKind =
  | "unassigned"
  | "agent_gone"
  | "agent_unpublished"
  | "agent_inactive"
  | "provider_key_invalid"
  | "provider_unreachable"
  | "drift"
  | "multiple_agents";

export interface NumberRoutingFacts {
  isSpare: boolean;
  /** Our record of the binding. */
  agent: { providerAgentId: string; gone: boolean; published: boolean; active: boolean } | null;
  /** What the provider routed the number to at the last read. */
  providerAgentIds: string[];
  /** Webhook / server URL / fallback that can answer an unbound number at the provider. */
  hasOtherRouting: boolean;
  providerHealth: "ok" | "invalid_key" | "unreachable" | "unknown";
}

export function findingsFor(facts: NumberRoutingFacts): FindingKind[] {
  if (facts.isSpare) return [];
  // Without a working key we cannot know the routing: report the account, not stale details.
  if (facts.providerHealth === "invalid_key") return ["provider_key_invalid"];
  if (facts.providerHealth === "unreachable") return ["provider_unreachable"];
  const found: FindingKind[] = [];
  if (!facts.agent) {
    if (facts.providerAgentIds.length === 0 && !facts.hasOtherRouting) found.push("unassigned");
  } else if (facts.agent.gone) {
    found.push("agent_gone");
  } else if (!facts.agent.active) {
    // A deleted or disabled agent cannot be published: "not active" is the one thing to fix.
    found.push("agent_inactive");
  } else if (!facts.agent.published) {
    found.push("agent_unpublished");
  }
  // Providers drop the binding of a deleted agent (Bland): that is the agent's finding, not drift.
  const agentDead = facts.agent !== null && (facts.agent.gone || !facts.agent.active);
  if (facts.providerAgentIds.length > 1) found.push("multiple_agents");
  else if (agentDead && facts.providerAgentIds.length === 0) return found;
  else if (!sameRouting(facts.agent?.providerAgentId ?? null, facts.providerAgentIds)) found.push("drift");
  return found;
}

function sameRouting(ours: string | null, theirs: string[]): boolean {
  return ours === null ? theirs.length === 0 : theirs.length === 1 && theirs[0] === ours;
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
  drift: {
    title: "The provider routes this number differently from Switchboard's record",
    fix: "Check that the number assignment saved successfully: restore Switchboard's binding, or keep the provider's.",
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
  unassigned: 2,
  agent_gone: 3,
  multiple_agents: 4,
  drift: 5,
  agent_inactive: 6,
  agent_unpublished: 7,
};
