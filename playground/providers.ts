// The simulated provider accounts as the page shows and pokes them: buy a number, rebind one behind
// the bot's back, take a provider down, choose how the next test calls end. Uses only the public API
// of the fake accounts (test/harness/fakeProviders.ts); the catalogue of what exists is kept here,
// since the playground is what put it there.
import type { FakeProviderAccount } from "../test/harness/fakeProviders";
import type { CallOutcome, PgProvider, PgProviderAgent, ProviderFault, ProviderName } from "./protocol";

export const PROVIDER_NAMES: ProviderName[] = ["retell", "vapi", "bland"];
export const LABELS: Record<ProviderName, string> = { retell: "Retell", vapi: "Vapi", bland: "Bland" };
export const CALL_OUTCOMES: CallOutcome[] = ["answered", "no_answer", "busy", "failed"];
export const FAULTS: ProviderFault[] = ["none", "outage", "unreachable", "revoked"];

/** Area code of the numbers bought in the playground, per provider (+1 AAA 555 01xx). */
const AREA: Record<ProviderName, string> = { retell: "415", vapi: "628", bland: "650" };
/** Effectively "until brought back". */
const FOREVER = 1_000_000_000;

export class PokeError extends Error {}

interface Catalogue {
  agents: PgProviderAgent[];
  numbers: { e164: string; nickname: string | null }[];
  fault: ProviderFault;
  /** Outcomes queued with scriptCall and not yet used by a call. */
  queued: CallOutcome[];
  /** Calls seen when `queued` was last brought up to date (each call uses one queued script). */
  callsSeen: number;
}

export class ProviderDesk {
  private readonly catalogue = new Map<ProviderName, Catalogue>();

  constructor(readonly accounts: Record<ProviderName, FakeProviderAccount>) {
    for (const name of PROVIDER_NAMES) {
      this.catalogue.set(name, { agents: [], numbers: [], fault: "none", queued: [], callsSeen: 0 });
    }
  }

  addAgent(provider: ProviderName, agent: PgProviderAgent): void {
    this.accounts[provider].addAgent({
      id: agent.id,
      name: agent.name,
      published: agent.published,
      ...(agent.kind ? { kind: agent.kind } : {}),
    });
    this.entry(provider).agents.push({ ...agent });
  }

  addNumber(provider: ProviderName, e164: string, nickname: string | null, agentIds: string[] = []): void {
    this.accounts[provider].addNumber({ e164, ...(nickname ? { nickname } : {}), agentIds });
    this.entry(provider).numbers.push({ e164, nickname });
  }

  /** Buys the next free number of the provider's playground range, unbound. */
  buy(provider: ProviderName, nickname?: string): string {
    const taken = new Set(this.entry(provider).numbers.map((n) => n.e164));
    for (let i = 101; i <= 199; i++) {
      const e164 = `+1${AREA[provider]}55501${String(i).slice(1)}`;
      if (taken.has(e164)) continue;
      const name = nickname?.trim().slice(0, 40) || null;
      this.addNumber(provider, e164, name);
      return e164;
    }
    throw new PokeError(`The playground's ${LABELS[provider]} range is full.`);
  }

  /** A dashboard edit at the provider: the number now routes to these agents (none: unbound). */
  bind(provider: ProviderName, e164: string, agentIds: string[]): void {
    const entry = this.entry(provider);
    if (!entry.numbers.some((n) => n.e164 === e164))
      throw new PokeError(`No ${LABELS[provider]} number ${e164}.`);
    const unknown = agentIds.filter((id) => !entry.agents.some((a) => a.id === id));
    if (unknown.length) throw new PokeError(`No ${LABELS[provider]} agent ${unknown.join(", ")}.`);
    if (provider === "vapi" && agentIds.length > 1) {
      throw new PokeError("A Vapi number holds at most one assistant.");
    }
    this.accounts[provider].setBinding(e164, agentIds);
  }

  /** Publishes or unpublishes an agent at the provider (the check flags numbers on unpublished agents). */
  publish(provider: ProviderName, agentId: string, published: boolean): void {
    const agent = this.entry(provider).agents.find((a) => a.id === agentId);
    if (!agent) throw new PokeError(`No ${LABELS[provider]} agent ${agentId}.`);
    this.accounts[provider].setAgent(agentId, { published });
    agent.published = published;
  }

  setFault(provider: ProviderName, fault: ProviderFault): void {
    const account = this.accounts[provider];
    account.clearFaults();
    if (fault === "outage") account.failNext({}, { status: 503, times: FOREVER });
    if (fault === "unreachable") account.failNext({}, { networkError: true, times: FOREVER });
    if (fault === "revoked") account.failNext({}, { status: 401, times: FOREVER });
    this.entry(provider).fault = fault;
  }

  /** The next test call placed on this provider ends this way (queued after earlier choices). */
  queueCall(provider: ProviderName, outcome: CallOutcome): void {
    this.refresh(provider);
    this.accounts[provider].scriptCall({ outcome, durationSec: 37 });
    this.entry(provider).queued.push(outcome);
  }

  snapshot(): PgProvider[] {
    return PROVIDER_NAMES.map((name) => {
      this.refresh(name);
      const entry = this.entry(name);
      const account = this.accounts[name];
      const calls = [...account.calls.values()].slice(-5).reverse();
      return {
        name,
        label: LABELS[name],
        fault: entry.fault,
        nextCalls: [...entry.queued],
        agents: entry.agents.map((a) => ({ ...a })),
        numbers: entry.numbers.map((n) => ({ ...n, agentIds: account.agentIdsOf(n.e164) })),
        calls: calls.map((c) => ({
          id: c.id,
          from: c.from,
          to: c.to,
          agentId: c.agentId,
          reads: Math.min(c.reads, c.statuses.length),
          steps: c.statuses.length,
        })),
      };
    });
  }

  /** Each call created used one queued outcome (scripts are taken first in, first out). */
  private refresh(provider: ProviderName): void {
    const entry = this.entry(provider);
    const calls = this.accounts[provider].calls.size;
    entry.queued.splice(0, calls - entry.callsSeen);
    entry.callsSeen = calls;
  }

  private entry(provider: ProviderName): Catalogue {
    return this.catalogue.get(provider)!;
  }
}
