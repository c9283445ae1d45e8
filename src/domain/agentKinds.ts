// What a provider's "agent" is called, in one place: pickers, status, alerts and App Home all say
// "Bland agent" or "Bland persona" the same way.
import type { AgentKind, ProviderName } from "./providers";
import { PROVIDER_LABEL } from "./providers";

const KIND_WORD: Record<AgentKind, string> = { agent: "agent", assistant: "assistant", persona: "persona" };

/** "Retell agent", "Vapi assistant", "Bland agent", "Bland persona". */
export function agentKindLabel(provider: ProviderName, kind: AgentKind): string {
  return `${PROVIDER_LABEL[provider]} ${KIND_WORD[kind]}`;
}

/** "Front desk (Bland persona)": an agent's name with what it is. */
export function agentWithKind(agent: { name: string; provider: ProviderName; kind: AgentKind }): string {
  return `${agent.name} (${agentKindLabel(agent.provider, agent.kind)})`;
}

/** What each provider binds numbers to, for help texts and the README's table. */
export const BOUND_KINDS: Record<ProviderName, AgentKind[]> = {
  retell: ["agent"],
  vapi: ["assistant"],
  bland: ["agent", "persona"],
};

/** "not published" in the provider's own terms: a Bland agent is unpinned, not unpublished. */
export function unpublishedWords(provider: ProviderName, kind: AgentKind): string {
  if (provider === "bland" && kind === "agent") return "has no version promoted to production";
  if (provider === "bland" && kind === "persona") return "has no production version";
  return "is not published";
}
