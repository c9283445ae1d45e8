// The providers as the rules and the words know them: their names, labels, what they bind numbers
// to, and whether they keep an outbound binding on the number. The provider clients
// (src/providers/) import these; the domain never imports the clients.

export const PROVIDERS = ["retell", "vapi", "bland"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const PROVIDER_LABEL: Record<ProviderName, string> = {
  retell: "Retell",
  vapi: "Vapi",
  bland: "Bland",
};

/**
 * What a number is bound to at a provider: a Retell agent, a Vapi assistant, or at Bland a v2 agent
 * or a persona (bound through different APIs, so a binding call must say which).
 */
export type AgentKind = "agent" | "assistant" | "persona";

/** The kind every agent of a provider has, where the provider has only one. */
export const DEFAULT_AGENT_KIND: Record<ProviderName, AgentKind> = {
  retell: "agent",
  vapi: "assistant",
  bland: "persona",
};

/** Whether the provider stores an outbound binding on the number (only Retell: `outbound_agents`). */
export const KEEPS_OUTBOUND: Record<ProviderName, boolean> = { retell: true, vapi: false, bland: false };

/** "set RETELL_API_KEY": the variable that enables a provider. */
export function apiKeyVariable(provider: ProviderName): string {
  return `${provider.toUpperCase()}_API_KEY`;
}
