// Mirrors every enabled provider account into the database: numbers, agents and live bindings.
// The provider is the truth for what exists and how it routes; our record of the binding (agentId)
// is intent, so sync never overwrites it for a known number: a difference is drift, for the check.
// The one exception: a change left in doubt that sync finds applied at the provider is committed
// (through bindings.ts, like every binding change).
import type { Db } from "../db/database";
import { DEFAULT_AGENT_KIND, PROVIDER_LABEL, PROVIDERS, type ProviderName } from "../domain/providers";
import { observed, routesAsRecorded, routesTo, storedOutbound } from "../domain/routing";
import type { ProviderHealth } from "../generated/prisma/enums";
import { inBatches } from "../lib/batches";
import { type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import { isProviderError } from "../providers/errors";
import type { ProviderRegistry } from "../providers/registry";
import type { ListAgentsHints, ProviderAgent, ProviderNumber, VoiceProvider } from "../providers/types";
import type { AccessGate } from "./access";
import { type AuditSource, recordAudit } from "./audit";
import { commitBinding, firstBinding } from "./bindings";
import type { ChangeFeed } from "./changeFeed";

export interface ProviderSyncSummary {
  provider: ProviderName;
  ok: boolean;
  error?: string;
  agents: { added: number; updated: number; gone: number; total: number };
  numbers: { added: number; updated: number; gone: number; total: number };
  /** Numbers where the provider routes differently from our record, or to several agents. */
  drift: number;
  /** Changes left in doubt that sync found applied at the provider and recorded. */
  converged: number;
  ms: number;
}

export interface SyncResult {
  startedAt: Date;
  providers: ProviderSyncSummary[];
}

export class InventorySync {
  private running: Promise<SyncResult> | undefined;

  constructor(
    private readonly db: Db,
    private readonly providers: ProviderRegistry,
    private readonly logger: Logger,
    /** Who may ask for a sync (the scheduled one asks nobody). */
    private readonly access: AccessGate,
    private readonly changes?: ChangeFeed,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A sync someone asked for (`/numbers sync`): only those who may change things may start one. */
  async requestSync(
    actor: string,
    source: AuditSource = "slash_command",
    /** Called once allowed, before the providers are read (to say it started). */
    started?: () => Promise<unknown>,
  ): Promise<SyncResult> {
    await this.access.require(actor, "sync", source);
    await started?.();
    return this.syncAll(actor);
  }

  /** Syncs all enabled providers; a failing provider does not stop the others. Concurrent calls share one run. */
  syncAll(actor = "system"): Promise<SyncResult> {
    this.running ??= this.runAll(actor).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runAll(actor: string): Promise<SyncResult> {
    const startedAt = this.clock.now();
    await this.markDisabledProviders();
    const summaries = await Promise.all([...this.providers.values()].map((p) => this.syncProvider(p)));
    for (const summary of summaries) {
      await recordAudit(this.db, {
        actor,
        action: "sync",
        source: "sync",
        outcome: summary.ok ? "ok" : "failed",
        provider: summary.provider,
        after: { ...summary },
        ...(summary.error ? { detail: summary.error } : {}),
      });
    }
    this.changes?.emit();
    return { startedAt, providers: summaries };
  }

  async syncProvider(provider: VoiceProvider): Promise<ProviderSyncSummary> {
    const started = Date.now();
    const summary = emptySummary(provider.name);
    // The key check runs beside the listing: it is what tells an inactive Bland account (whose lists
    // still answer) and names Retell's 402 or Vapi's 401 with their own fix.
    const [key, listing] = await Promise.allSettled([
      provider.checkKey(),
      this.hintsFor(provider.name).then((hints) =>
        Promise.all([provider.listAgents(hints), provider.listNumbers()]),
      ),
    ]);
    // A key check that merely timed out says nothing the listing did not: only account problems count.
    const keyError =
      key.status === "rejected" &&
      isProviderError(key.reason) &&
      (key.reason.kind === "auth" || key.reason.kind === "billing" || key.reason.kind === "account_inactive")
        ? key.reason
        : undefined;
    if (listing.status === "fulfilled") {
      const [agents, numbers] = listing.value;
      const agentIds = await this.syncAgents(provider.name, agents, summary);
      await this.syncNumbers(provider.name, numbers, agentIds, summary);
      summary.ok = true;
    }
    const error = keyError ?? (listing.status === "rejected" ? listing.reason : undefined);
    if (error === undefined) {
      await this.recordHealth(provider.name, "ok", null, summary);
    } else {
      summary.error = error instanceof Error ? error.message : String(error);
      await this.recordHealth(provider.name, healthOf(error), summary.error, summary);
      this.logger.warn({ provider: provider.name, err: error }, "provider sync or key check failed");
    }
    summary.ms = Date.now() - started;
    return summary;
  }

  /**
   * What the provider may reuse instead of reading again (Retell's per-agent versions): the readiness
   * recorded per agent, and the agents bound to a number, which are always read live.
   */
  private async hintsFor(provider: ProviderName): Promise<ListAgentsHints> {
    const [agents, numbers] = await Promise.all([
      this.db.agent.findMany({
        where: { provider, goneAt: null },
        select: {
          providerAgentId: true,
          published: true,
          active: true,
          version: true,
          providerModifiedAt: true,
        },
      }),
      this.db.phoneNumber.findMany({
        where: { provider, goneAt: null },
        select: { providerAgentIds: true, agent: { select: { providerAgentId: true } } },
      }),
    ]);
    const needed = new Set<string>();
    for (const n of numbers) {
      for (const id of n.providerAgentIds) needed.add(id);
      if (n.agent) needed.add(n.agent.providerAgentId);
    }
    const known = new Map(
      agents.map((a) => [
        a.providerAgentId,
        {
          published: a.published,
          active: a.active,
          version: a.version,
          modifiedAt: a.providerModifiedAt?.toISOString() ?? null,
        },
      ]),
    );
    return { known, needed };
  }

  /** Upserts agents; returns provider agent id → our agent id. */
  private async syncAgents(
    provider: ProviderName,
    agents: ProviderAgent[],
    summary: ProviderSyncSummary,
  ): Promise<Map<string, string>> {
    const existing = await this.db.agent.findMany({ where: { provider } });
    const byProviderId = new Map(existing.map((a) => [a.providerAgentId, a]));
    const seen = new Set<string>();
    const toCreate = [];
    for (const agent of agents) {
      seen.add(agent.providerAgentId);
      const row = byProviderId.get(agent.providerAgentId);
      const data = {
        name: agent.name,
        kind: agent.kind ?? DEFAULT_AGENT_KIND[provider],
        published: agent.published,
        active: agent.active,
        version: agent.version,
        providerModifiedAt: agent.modifiedAt ? new Date(agent.modifiedAt) : null,
      };
      if (!row) {
        toCreate.push({ provider, providerAgentId: agent.providerAgentId, ...data });
      } else if (
        row.goneAt ||
        row.name !== data.name ||
        row.kind !== data.kind ||
        (row.providerModifiedAt?.getTime() ?? null) !== (data.providerModifiedAt?.getTime() ?? null) ||
        row.published !== data.published ||
        row.active !== data.active ||
        row.version !== data.version
      ) {
        await this.db.agent.update({ where: { id: row.id }, data: { ...data, goneAt: null } });
        summary.agents.updated++;
      }
    }
    for (const batch of inBatches(toCreate))
      await this.db.agent.createMany({ data: batch, skipDuplicates: true });
    summary.agents.added = toCreate.length;
    const goneIds = existing.filter((a) => !seen.has(a.providerAgentId) && !a.goneAt).map((a) => a.id);
    for (const batch of inBatches(goneIds))
      await this.db.agent.updateMany({ where: { id: { in: batch } }, data: { goneAt: this.clock.now() } });
    summary.agents.gone = goneIds.length;
    summary.agents.total = agents.length;

    const all = await this.db.agent.findMany({
      where: { provider },
      select: { id: true, providerAgentId: true },
    });
    return new Map(all.map((a) => [a.providerAgentId, a.id]));
  }

  private async syncNumbers(
    provider: ProviderName,
    numbers: ProviderNumber[],
    agentIds: Map<string, string>,
    summary: ProviderSyncSummary,
  ): Promise<void> {
    const existing = await this.db.phoneNumber.findMany({
      where: { provider },
      include: {
        agent: { select: { providerAgentId: true } },
        outboundAgent: { select: { providerAgentId: true } },
      },
    });
    const byProviderId = new Map(existing.map((n) => [n.providerNumberId, n]));
    const seen = new Set<string>();
    const toCreate: ReturnType<typeof firstSight>[] = [];
    const now = this.clock.now();
    for (const number of numbers) {
      seen.add(number.providerNumberId);
      const row = byProviderId.get(number.providerNumberId);
      const routing =
        number.otherRouting && Object.keys(number.otherRouting).length
          ? ({ ...number.otherRouting } as Record<string, string | boolean>)
          : null;
      const outbound = storedOutbound(provider, number.outboundAgentIds);
      if (!row) {
        toCreate.push(firstSight(provider, number, agentIds, now));
        if (number.inboundAgentIds.length > 1) summary.drift++;
        continue;
      }
      if ((row.intentAgentId || row.intentUnbind) && (!row.lockedUntil || row.lockedUntil < now)) {
        if (await this.settleIntent(row, number.inboundAgentIds, agentIds)) {
          summary.converged++;
          continue;
        }
      }
      const recorded = {
        inbound: row.agent?.providerAgentId ?? null,
        outbound: row.outboundAgent?.providerAgentId ?? null,
      };
      if (!routesAsRecorded(recorded, observed(provider, number.inboundAgentIds, number.outboundAgentIds))) {
        summary.drift++;
      }
      const changed =
        row.goneAt !== null ||
        row.e164 !== number.e164 ||
        row.nickname !== number.nickname ||
        !sameList(row.providerAgentIds, number.inboundAgentIds) ||
        !sameList(row.providerOutboundAgentIds, outbound) ||
        JSON.stringify(row.providerRouting ?? null) !== JSON.stringify(routing);
      if (!changed) continue;
      // Conditional on the binding we read: a change committed meanwhile is newer than this sync's view.
      const updated = await this.db.phoneNumber.updateMany({
        where: { id: row.id, bindingVersion: row.bindingVersion },
        data: {
          e164: number.e164,
          nickname: number.nickname,
          providerAgentIds: number.inboundAgentIds,
          providerOutboundAgentIds: outbound,
          providerRouting: routing ?? undefined,
          lastSyncedAt: now,
          goneAt: null,
        },
      });
      summary.numbers.updated += updated.count;
    }
    for (const batch of inBatches(toCreate))
      await this.db.phoneNumber.createMany({ data: batch, skipDuplicates: true });
    summary.numbers.added = toCreate.length;
    const goneIds = existing.filter((n) => !seen.has(n.providerNumberId) && !n.goneAt).map((n) => n.id);
    for (const batch of inBatches(goneIds))
      await this.db.phoneNumber.updateMany({ where: { id: { in: batch } }, data: { goneAt: now } });
    summary.numbers.gone = goneIds.length;
    summary.numbers.total = numbers.length;
  }

  /**
   * Reads the agents of one provider (or of every enabled one) again and records them, as a sync
   * would: for an agent created at the provider since the last sync. A failing provider is
   * reported in the result, not thrown, so the others still count.
   */
  async refreshAgents(only?: ProviderName): Promise<AgentRefresh[]> {
    const targets = [...this.providers.values()].filter((p) => !only || p.name === only);
    return Promise.all(
      targets.map(async (provider): Promise<AgentRefresh> => {
        try {
          const agents = await provider.listAgents(await this.hintsFor(provider.name));
          const summary = emptySummary(provider.name);
          await this.syncAgents(provider.name, agents, summary);
          if (summary.agents.added) this.changes?.emit();
          return { provider: provider.name, ok: true, added: summary.agents.added };
        } catch (error) {
          this.logger.warn({ provider: provider.name, err: error }, "agent refresh failed");
          return { provider: provider.name, ok: false, error: messageOf(error) };
        }
      }),
    );
  }

  /**
   * First contact with a number the database does not know yet, found live at `provider`: records it
   * exactly as a sync's first sight would (the provider's single known agent becomes our binding)
   * and audits it as "imported". Safe to run concurrently with itself and with a sync: the unique
   * keys decide, and only the writer that created the row records the import.
   */
  async importNumber(provider: VoiceProvider, number: ProviderNumber, actor = "system"): Promise<void> {
    const agentIds = await this.knownAgentIds(provider, [
      ...new Set([...number.inboundAgentIds, ...number.outboundAgentIds]),
    ]);
    const row = firstSight(provider.name, number, agentIds, this.clock.now());
    const created = await this.db.phoneNumber.createMany({ data: [row], skipDuplicates: true });
    if (created.count === 0) {
      // Already there (another request or a sync got there first), or recorded as gone: it is back.
      await this.db.phoneNumber.updateMany({
        where: { provider: provider.name, providerNumberId: number.providerNumberId, goneAt: { not: null } },
        data: { goneAt: null, e164: number.e164, nickname: number.nickname, lastSyncedAt: this.clock.now() },
      });
      return;
    }
    const saved = await this.db.phoneNumber.findFirst({
      where: { provider: provider.name, providerNumberId: number.providerNumberId },
      select: { id: true, agentId: true },
    });
    await recordAudit(this.db, {
      actor,
      action: "imported",
      source: "sync",
      outcome: "applied",
      numberId: saved?.id ?? null,
      e164: number.e164,
      provider: provider.name,
      after: { agentId: saved?.agentId ?? null, providerAgentIds: number.inboundAgentIds },
      detail: `first contact: not yet synced, found live at ${PROVIDER_LABEL[provider.name]} and recorded`,
    });
    this.changes?.emit();
  }

  /** Our ids of these provider agents; an agent not recorded yet is read from the provider and recorded. */
  private async knownAgentIds(
    provider: VoiceProvider,
    providerAgentIds: string[],
  ): Promise<Map<string, string>> {
    const lookup = () =>
      this.db.agent.findMany({
        where: { provider: provider.name, providerAgentId: { in: providerAgentIds } },
        select: { id: true, providerAgentId: true },
      });
    let known = await lookup();
    const missing = providerAgentIds.filter((id) => !known.some((a) => a.providerAgentId === id));
    if (missing.length) {
      const agents = await Promise.all(missing.map((id) => provider.getAgent(id)));
      await this.db.agent.createMany({
        data: agents.map((a) => ({
          provider: provider.name,
          providerAgentId: a.providerAgentId,
          kind: a.kind ?? DEFAULT_AGENT_KIND[provider.name],
          name: a.name,
          published: a.published,
          active: a.active,
          version: a.version,
          providerModifiedAt: a.modifiedAt ? new Date(a.modifiedAt) : null,
        })),
        skipDuplicates: true,
      });
      known = await lookup();
    }
    return new Map(known.map((a) => [a.providerAgentId, a.id]));
  }

  /**
   * A change left in doubt (its write may have landed, it was never committed): if the provider
   * now routes exactly as intended, commit it; otherwise drop the intent. Returns true if committed.
   */
  private async settleIntent(
    row: {
      id: string;
      e164: string;
      provider: ProviderName;
      agentId: string | null;
      bindingVersion: number;
      intentAgentId: string | null;
    },
    live: string[],
    agentIds: Map<string, string>,
  ): Promise<boolean> {
    const intended = row.intentAgentId ? [...agentIds].find(([, id]) => id === row.intentAgentId)?.[0] : null;
    const landed = intended !== undefined && routesTo(live, intended);
    if (!landed) {
      await this.db.phoneNumber.updateMany({
        where: { id: row.id, bindingVersion: row.bindingVersion },
        data: { intentAgentId: null, intentUnbind: false, lockToken: null, lockedUntil: null },
      });
      return false;
    }
    return commitBinding(this.db, {
      numberId: row.id,
      guard: { bindingVersion: row.bindingVersion },
      agentId: row.intentAgentId,
      outboundAgentId: row.intentAgentId,
      observed: { inbound: live },
      observedAt: this.clock.now(),
      audit: {
        actor: "system",
        action: row.intentAgentId ? "assign" : "unassign",
        source: "sync",
        outcome: "applied",
        e164: row.e164,
        provider: row.provider,
        before: { agentId: row.agentId },
        after: { agentId: row.intentAgentId },
        detail: "converged: a change left in doubt was found applied at the provider, and is now recorded",
      },
    });
  }

  private async recordHealth(
    provider: ProviderName,
    health: ProviderHealth,
    message: string | null,
    summary: ProviderSyncSummary,
  ): Promise<void> {
    const data = {
      enabled: true,
      health,
      healthMessage: message,
      healthCheckedAt: this.clock.now(),
      lastSyncAt: this.clock.now(),
      lastSyncOk: health === "ok",
      ...(health === "ok" ? { lastSyncOkAt: this.clock.now() } : {}),
      lastSyncSummary: { ...summary },
    };
    await this.db.providerAccount.upsert({
      where: { provider },
      create: { provider, ...data },
      update: data,
    });
  }

  private async markDisabledProviders(): Promise<void> {
    for (const provider of PROVIDERS) {
      const enabled = this.providers.has(provider);
      await this.db.providerAccount.upsert({
        where: { provider },
        create: { provider, enabled },
        update: { enabled },
      });
    }
  }
}

export interface AgentRefresh {
  provider: ProviderName;
  ok: boolean;
  added?: number;
  error?: string;
}

function emptySummary(provider: ProviderName): ProviderSyncSummary {
  return {
    provider,
    ok: false,
    agents: { added: 0, updated: 0, gone: 0, total: 0 },
    numbers: { added: 0, updated: 0, gone: 0, total: 0 },
    drift: 0,
    converged: 0,
    ms: 0,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A number seen for the first time, with the binding the provider has (see `firstBinding`). */
function firstSight(
  provider: ProviderName,
  number: ProviderNumber,
  agentIds: Map<string, string>,
  now: Date,
) {
  const routing =
    number.otherRouting && Object.keys(number.otherRouting).length
      ? ({ ...number.otherRouting } as Record<string, string | boolean>)
      : null;
  return {
    provider,
    e164: number.e164,
    providerNumberId: number.providerNumberId,
    nickname: number.nickname,
    ...firstBinding(
      provider,
      { inbound: number.inboundAgentIds, outbound: number.outboundAgentIds },
      agentIds,
    ),
    providerRouting: routing ?? undefined,
    lastSyncedAt: now,
  };
}

function healthOf(error: unknown): ProviderHealth {
  if (!isProviderError(error)) return "unknown";
  switch (error.kind) {
    case "auth":
      return "invalid_key";
    case "billing":
      return "billing";
    case "account_inactive":
      return "account_inactive";
    default:
      return "unreachable";
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
