// `/numbers status <number>`: the seed's troubleshooting checklist, run live against the provider
// for one number, each failed item with what to do.
import type { Db } from "../db/database";
import { FINDING_ADVICE, type FindingKind, findingsFor } from "../domain/routingFindings";
import { isProviderError } from "../providers/errors";
import type { ProviderRegistry } from "../providers/registry";
import { PROVIDER_LABEL, type ProviderAgent, type ProviderNumber } from "../providers/types";
import type { InventoryService, NumberWithAgent } from "./inventory";

export interface ChecklistItem {
  check: string;
  ok: boolean | null; // null = could not be checked
  detail: string;
  fix?: string;
}

export interface StatusReport {
  number: NumberWithAgent;
  items: ChecklistItem[];
  findings: FindingKind[];
  /** What the provider routes to now (agent names where known). */
  liveRouting: { providerAgentId: string; name: string | null }[] | null;
  /** Notes about agents left without a number (R3: they can only be tested in the browser). */
  notes: string[];
}

export class NumberStatusService {
  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly providers: ProviderRegistry,
  ) {}

  async status(e164: string): Promise<StatusReport> {
    const number = await this.inventory.numberByE164(e164);
    const label = PROVIDER_LABEL[number.provider];
    const provider = this.providers.get(number.provider);
    const items: ChecklistItem[] = [];
    const notes: string[] = [];

    if (!provider) {
      items.push({
        check: `${label} is configured`,
        ok: false,
        detail: `${label} has no API key in Switchboard.`,
        fix: `Set ${number.provider.toUpperCase()}_API_KEY and restart.`,
      });
      return { number, items, findings: [], liveRouting: null, notes };
    }

    const [key, live, agent] = await Promise.all([
      settle(provider.checkKey()),
      settle(provider.getNumber({ providerNumberId: number.providerNumberId, e164: number.e164 })),
      number.agent ? settle(provider.getAgent(number.agent.providerAgentId)) : Promise.resolve(null),
    ]);

    const keyHealth = key.ok
      ? "ok"
      : isProviderError(key.error) && key.error.kind === "auth"
        ? "invalid_key"
        : "unreachable";
    items.push({
      check: `${label} account active and API key valid`,
      ok: key.ok,
      detail: key.ok ? "The key works." : errorText(key.error),
      ...(key.ok
        ? {}
        : {
            fix: FINDING_ADVICE[keyHealth === "invalid_key" ? "provider_key_invalid" : "provider_unreachable"]
              .fix,
          }),
    });

    items.push({
      check: "Assigned to an agent",
      ok: number.agent !== null || number.isSpare,
      detail: number.agent
        ? `Switchboard's record: ${number.agent.name}.`
        : number.isSpare
          ? "No agent — marked as a spare on purpose."
          : "No agent: inbound calls to this number are not answered.",
      ...(number.agent || number.isSpare ? {} : { fix: FINDING_ADVICE.unassigned.fix }),
    });

    let liveAgent: ProviderAgent | null = null;
    if (agent) {
      if (agent.ok) {
        liveAgent = agent.value;
        const ready = liveAgent.published && liveAgent.active;
        items.push({
          check: "Agent is published and active",
          ok: ready,
          detail: ready
            ? `${liveAgent.name} is published${liveAgent.version ? ` (version ${liveAgent.version})` : ""} and active.`
            : `${liveAgent.name} is ${[!liveAgent.published && "not published", !liveAgent.active && "not active"].filter(Boolean).join(" and ")}.`,
          ...(ready
            ? {}
            : { fix: FINDING_ADVICE[liveAgent.active ? "agent_unpublished" : "agent_inactive"].fix }),
        });
      } else {
        const gone = isProviderError(agent.error) && agent.error.kind === "not_found";
        items.push({
          check: "Agent is published and active",
          ok: gone ? false : null,
          detail: gone ? `${number.agent!.name} no longer exists at ${label}.` : errorText(agent.error),
          ...(gone ? { fix: FINDING_ADVICE.agent_gone.fix } : {}),
        });
      }
    }

    let liveRouting: StatusReport["liveRouting"] = null;
    let liveNumber: ProviderNumber | null = null;
    if (live.ok) {
      liveNumber = live.value;
      liveRouting = await this.namesOf(number.provider, liveNumber.inboundAgentIds);
      const expected = number.agent ? [number.agent.providerAgentId] : [];
      const saved =
        liveNumber.inboundAgentIds.length === expected.length &&
        liveNumber.inboundAgentIds.every((id, i) => id === expected[i]);
      const routesTo = liveRouting.length
        ? liveRouting.map((r) => r.name ?? r.providerAgentId).join(", ")
        : "no agent";
      items.push({
        check: "The assignment saved at the provider",
        ok: saved,
        detail: saved
          ? `${label} routes it to ${routesTo}, as recorded.`
          : `${label} routes it to ${routesTo}, but Switchboard's record says ${number.agent?.name ?? "no agent"}.`,
        ...(saved
          ? {}
          : { fix: FINDING_ADVICE[liveNumber.inboundAgentIds.length > 1 ? "multiple_agents" : "drift"].fix }),
      });
    } else {
      items.push({ check: "The assignment saved at the provider", ok: null, detail: errorText(live.error) });
    }

    const findings = findingsFor({
      isSpare: number.isSpare,
      agent: number.agent
        ? {
            providerAgentId: number.agent.providerAgentId,
            gone:
              agent !== null && !agent.ok && isProviderError(agent.error) && agent.error.kind === "not_found",
            published: liveAgent?.published ?? number.agent.published,
            active: liveAgent?.active ?? number.agent.active,
          }
        : null,
      providerAgentIds: liveNumber?.inboundAgentIds ?? number.providerAgentIds,
      hasOtherRouting: Boolean(liveNumber?.otherRouting && Object.keys(liveNumber.otherRouting).length),
      providerHealth: keyHealth,
    });

    notes.push(...(await this.agentsLeftWithoutNumber(number.id)));
    return { number, items, findings, liveRouting, notes };
  }

  /**
   * The agent this number last belonged to, if the last change of its binding (an unassign or a
   * reassign) took it away and that agent now holds no number at all (R3).
   */
  private async agentsLeftWithoutNumber(numberId: string): Promise<string[]> {
    const last = await this.db.auditEvent.findFirst({
      where: { numberId, outcome: "applied", action: { in: ["assign", "unassign", "reassign"] } },
      orderBy: { at: "desc" },
    });
    if (!last || last.action === "assign") return [];
    const before = last.before as { agentId?: string | null; agent?: string | null } | null;
    if (!before?.agentId) return [];
    const held = await this.db.phoneNumber.count({ where: { agentId: before.agentId, goneAt: null } });
    if (held > 0) return [];
    return [
      `${before.agent ?? "Its previous agent"} has no number now: it can only be tested in the browser until it gets one.`,
    ];
  }

  private async namesOf(provider: NumberWithAgent["provider"], ids: string[]) {
    if (!ids.length) return [];
    const agents = await this.db.agent.findMany({ where: { provider, providerAgentId: { in: ids } } });
    const names = new Map(agents.map((a) => [a.providerAgentId, a.name]));
    return ids.map((id) => ({ providerAgentId: id, name: names.get(id) ?? null }));
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
