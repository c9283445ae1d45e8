// `/numbers status <number>`: the seed's troubleshooting checklist, run live against the provider
// for one number, each failed item with what to do.
import type { Db } from "../db/database";
import { agentKindLabel, unpublishedWords } from "../domain/agentKinds";
import { PROVIDER_LABEL } from "../domain/providers";
import { readiness } from "../domain/readiness";
import { observed, routingMismatch } from "../domain/routing";
import {
  FINDING_ADVICE,
  type FindingKind,
  findingsFor,
  HEALTH_FINDING,
  outboundFacts,
  type ProviderHealthState,
} from "../domain/routingFindings";
import { isProviderError } from "../providers/errors";
import type { ProviderRegistry } from "../providers/registry";
import type { ProviderAgent, ProviderNumber } from "../providers/types";
import {
  type InventoryService,
  type NumberSummary,
  type NumberWithAgent,
  toNumberSummary,
} from "./inventory";

export interface ChecklistItem {
  check: string;
  ok: boolean | null; // null = could not be checked
  detail: string;
  fix?: string;
}

export interface StatusReport {
  number: NumberSummary;
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
      return { number: toNumberSummary(number), items, findings: [], liveRouting: null, notes };
    }

    const [key, live, agent] = await Promise.all([
      settle(provider.checkKey()),
      settle(provider.getNumber({ providerNumberId: number.providerNumberId, e164: number.e164 })),
      number.agent
        ? settle(provider.getAgent(number.agent.providerAgentId, number.agent.kind))
        : Promise.resolve(null),
    ]);

    const keyHealth: ProviderHealthState = key.ok ? "ok" : healthOf(key.error);
    const keyFix = !key.ok && isProviderError(key.error) ? key.error.fix : undefined;
    items.push({
      check: `${label} account active and API key valid`,
      ok: key.ok,
      detail: key.ok ? "The key works and the account is active." : errorText(key.error),
      ...(key.ok ? {} : { fix: keyFixText(keyHealth, keyFix) }),
    });

    items.push({
      check: "Assigned to an agent",
      ok: number.agent !== null || number.isSpare,
      detail: number.agent
        ? `Switchboard's record: ${number.agent.name} (${agentKindLabel(number.provider, number.agent.kind)}).`
        : number.isSpare
          ? "No agent — marked as a spare on purpose."
          : "No agent: inbound calls to this number are not answered.",
      ...(number.agent || number.isSpare ? {} : { fix: FINDING_ADVICE.unassigned.fix }),
    });

    let liveAgent: ProviderAgent | null = null;
    if (agent) {
      if (agent.ok) {
        liveAgent = agent.value;
        const ready = readiness({
          gone: false,
          published: liveAgent.published,
          active: liveAgent.active,
        }).ready;
        const kind = agentKindLabel(number.provider, number.agent!.kind);
        const unpinned = number.provider === "bland" && number.agent!.kind === "agent";
        items.push({
          check: "Agent is published and active",
          ok: ready,
          detail: ready
            ? `${liveAgent.name} (${kind}) is ${unpinned ? "promoted to production" : "published"}${liveAgent.version ? ` (version ${liveAgent.version})` : ""} and active.`
            : `${liveAgent.name} (${kind}) ${[!liveAgent.published && unpublishedWords(number.provider, number.agent!.kind), !liveAgent.active && "is not active"].filter(Boolean).join(" and ")}.${unpinned && !liveAgent.published ? " Bland refuses calls to it (AGENT_ENV_UNPINNED) until a version is promoted." : ""}`,
          ...(ready
            ? {}
            : {
                fix:
                  unpinned && liveAgent.active
                    ? "Promote a version of the agent to production in Bland (Environments → Promote), then re-run the check."
                    : FINDING_ADVICE[liveAgent.active ? "agent_unpublished" : "agent_inactive"].fix,
              }),
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
      // The checklist holds the provider to the agent on record, inbound and outbound alike.
      const expected = number.agent?.providerAgentId ?? null;
      const mismatch = routingMismatch(
        { inbound: expected, outbound: expected },
        observed(number.provider, liveNumber.inboundAgentIds, liveNumber.outboundAgentIds),
      );
      const split = liveNumber.otherRouting?.migrationSplit;
      const routesTo = liveRouting.length
        ? liveRouting.map((r) => r.name ?? r.providerAgentId).join(", ")
        : "no agent";
      if (split) {
        // A migration split is routing the provider does by design: shown, never "repaired".
        const [splitAgent] = await this.namesOf(number.provider, [split.agentId]);
        items.push({
          check: "Routing at the provider",
          ok: true,
          detail: `Split between pathway ${split.pathwayId} and agent ${splitAgent?.name ?? split.agentId}: ${split.percentage} % of calls go to the agent (a Bland migration split), the rest to the pathway.`,
        });
      } else {
        const saved = mismatch !== "inbound";
        items.push({
          check: "The assignment saved at the provider",
          ok: saved,
          detail: saved
            ? `${label} routes it to ${routesTo}, as recorded.`
            : `${label} routes it to ${routesTo}, but Switchboard's record says ${number.agent?.name ?? "no agent"}.`,
          ...(saved
            ? {}
            : {
                fix: FINDING_ADVICE[liveNumber.inboundAgentIds.length > 1 ? "multiple_agents" : "drift"].fix,
              }),
        });
        if (mismatch === "outbound") {
          const outbound = await this.namesOf(number.provider, liveNumber.outboundAgentIds);
          const outboundTo = outbound.length
            ? outbound.map((r) => r.name ?? r.providerAgentId).join(", ")
            : "no agent";
          items.push({
            check: "Outbound caller ID saved at the provider",
            ok: false,
            detail: `${label} makes it the outbound caller ID of ${outboundTo}, but Switchboard's record says ${number.agent?.name ?? "no agent"}.`,
            fix: FINDING_ADVICE.drift.fix,
          });
        }
      }
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
      ...outboundFacts(
        number.provider,
        liveNumber?.outboundAgentIds ?? number.providerOutboundAgentIds,
        await this.outboundOf(number.outboundAgentId),
      ),
      hasOtherRouting: Boolean(liveNumber?.otherRouting && Object.keys(liveNumber.otherRouting).length),
      split: Boolean(liveNumber?.otherRouting?.migrationSplit),
      providerHealth: keyHealth,
    });

    notes.push(...(await this.agentsLeftWithoutNumber(number.id)));
    return { number: toNumberSummary(number), items, findings, liveRouting, notes };
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

  private async outboundOf(agentId: string | null): Promise<string | null> {
    if (!agentId) return null;
    const agent = await this.db.agent.findUnique({
      where: { id: agentId },
      select: { providerAgentId: true },
    });
    return agent?.providerAgentId ?? null;
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

/** The seed's words ("verify the provider account is active and the API key is valid"), then the provider's own fix. */
function keyFixText(health: ProviderHealthState, fix: string | undefined): string {
  const advice = FINDING_ADVICE[HEALTH_FINDING[health] ?? "provider_unreachable"].fix;
  if (!fix) return advice;
  if (health === "invalid_key")
    return `Verify the provider account is active and the API key is valid: ${fix}.`;
  return `${fix[0]!.toUpperCase()}${fix.slice(1)}.`;
}

function healthOf(error: unknown): ProviderHealthState {
  if (!isProviderError(error)) return "unreachable";
  if (error.kind === "auth") return "invalid_key";
  if (error.kind === "billing") return "billing";
  if (error.kind === "account_inactive") return "account_inactive";
  return "unreachable";
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
