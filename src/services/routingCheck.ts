// The scheduled routing check (R8): sync, evaluate every number, keep one open finding per
// (number, kind), and alert without flooding: new findings posted once (one digest when many),
// messages updated in place when findings resolve, long-open production findings re-raised daily.
import type { Db } from "../db/database";
import { withRunLock } from "../db/leases";
import { agentWithKind } from "../domain/agentKinds";
import type { AgentKind, ProviderName } from "../domain/providers";
import {
  FINDING_SEVERITY,
  type FindingKind,
  findingsFor,
  HEALTH_FINDING,
  outboundFacts,
} from "../domain/routingFindings";
import type { RoutingFinding } from "../generated/prisma/client";
import { inBatches } from "../lib/batches";
import { after, type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import type { AccessGate } from "./access";
import { type AuditSource, recordAudit } from "./audit";
import { DomainError } from "./errors";
import type { InventorySync, SyncResult } from "./inventorySync";
import type { AlertEntry, AlertNotifier, MessageRef } from "./ports";

const DAY_MS = 24 * 3_600_000;
/** The lease that keeps check runs from overlapping across replicas. */
const RUN_LOCK = "lock:routing-check";
/** More numbers than this in one run → one digest message instead of one message each. */
export const DIGEST_THRESHOLD = 3;

export interface CheckSummary {
  runId: string;
  numbersChecked: number;
  open: number;
  opened: number;
  resolved: number;
  byKind: Partial<Record<FindingKind, number>>;
  messagesPosted: number;
  messagesUpdated: number;
  sync: SyncResult;
  ms: number;
  alertsEnabled: boolean;
}

type FindingWithNumber = RoutingFinding & {
  number: {
    e164: string;
    provider: ProviderName;
    nickname: string | null;
    isProduction: boolean;
    agent: { name: string; kind: AgentKind } | null;
  };
};

/** What an alert shows of a finding's number. */
const WITH_NUMBER = {
  number: {
    select: {
      e164: true,
      provider: true,
      nickname: true,
      isProduction: true,
      agent: { select: { name: true, kind: true } },
    },
  },
} as const;

export class RoutingCheckService {
  private running: Promise<CheckSummary> | undefined;

  constructor(
    private readonly db: Db,
    private readonly sync: InventorySync,
    private readonly alerts: AlertNotifier | null,
    private readonly logger: Logger,
    /** Who may ask for a check or snooze alerts (the scheduled check asks nobody). */
    private readonly access: AccessGate,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A check someone asked for (`/numbers check`): only those who may change things may start one. */
  async requestRun(
    actor: string,
    source: AuditSource = "slash_command",
    /** Called once allowed, before the run (to say it started). */
    started?: () => Promise<unknown>,
  ): Promise<CheckSummary> {
    await this.access.require(actor, "check", source);
    await started?.();
    return this.run("manual");
  }

  /**
   * Runs the check; concurrent calls in one process share a run, and runs on several replicas take
   * turns (a lease in the database), so two runs never post the same alert.
   */
  run(trigger: string): Promise<CheckSummary> {
    this.running ??= withRunLock(this.db, RUN_LOCK, () => this.execute(trigger)).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async execute(trigger: string): Promise<CheckSummary> {
    const started = Date.now();
    const checkRun = await this.db.checkRun.create({ data: { trigger } });
    const sync = await this.sync.syncAll();
    const now = this.clock.now();

    const [numbers, accounts, open] = await Promise.all([
      this.db.phoneNumber.findMany({
        where: { goneAt: null },
        select: {
          id: true,
          provider: true,
          isSpare: true,
          providerAgentIds: true,
          providerOutboundAgentIds: true,
          providerRouting: true,
          agent: { select: { providerAgentId: true, goneAt: true, published: true, active: true } },
          outboundAgent: { select: { providerAgentId: true } },
        },
      }),
      this.db.providerAccount.findMany(),
      this.db.routingFinding.findMany({ where: { resolvedAt: null } }),
    ]);
    const health = new Map(accounts.map((a) => [a.provider, a.enabled ? a.health : null]));

    const current = new Map<string, { numberId: string; kind: FindingKind }>();
    /** Numbers whose provider could not be read this run: their other findings can be neither confirmed nor resolved. */
    const unverifiable = new Set<string>();
    for (const n of numbers) {
      const providerHealth = health.get(n.provider);
      if (!providerHealth) continue; // provider not configured: nothing to check against
      if (HEALTH_FINDING[providerHealth]) unverifiable.add(n.id);
      const routing = (n.providerRouting ?? null) as Record<string, unknown> | null;
      const kinds = findingsFor({
        isSpare: n.isSpare,
        agent: n.agent
          ? {
              providerAgentId: n.agent.providerAgentId,
              gone: n.agent.goneAt !== null,
              published: n.agent.published,
              active: n.agent.active,
            }
          : null,
        providerAgentIds: n.providerAgentIds,
        ...outboundFacts(n.provider, n.providerOutboundAgentIds, n.outboundAgent?.providerAgentId ?? null),
        hasOtherRouting: routing !== null && Object.keys(routing).length > 0,
        split: Boolean(routing?.migrationSplit),
        providerHealth,
      });
      for (const kind of kinds) current.set(`${n.id}:${kind}`, { numberId: n.id, kind });
    }

    // While a provider cannot be read, its numbers' earlier findings stay open as they were: saying
    // "resolved" (and re-posting them when the provider is back) would be false.
    const carried = open.filter((f) => unverifiable.has(f.numberId) && !current.has(f.openKey!));
    for (const f of carried) current.set(f.openKey!, { numberId: f.numberId, kind: f.kind as FindingKind });

    const openByKey = new Map(open.map((f) => [f.openKey!, f]));
    const toOpen = [...current].filter(([key]) => !openByKey.has(key));
    const carriedIds = new Set(carried.map((f) => f.id));
    const stillOpen = open.filter((f) => current.has(f.openKey!) && !carriedIds.has(f.id));
    const toResolve = open.filter((f) => !current.has(f.openKey!));

    for (const batch of inBatches(toOpen)) {
      await this.db.routingFinding.createMany({
        data: batch.map(([key, f]) => ({
          openKey: key,
          numberId: f.numberId,
          kind: f.kind,
          firstSeenAt: now,
          lastSeenAt: now,
        })),
        skipDuplicates: true,
      });
    }
    for (const batch of inBatches(stillOpen)) {
      await this.db.routingFinding.updateMany({
        where: { id: { in: batch.map((f) => f.id) } },
        data: { lastSeenAt: now },
      });
    }
    for (const batch of inBatches(toResolve)) {
      await this.db.routingFinding.updateMany({
        where: { id: { in: batch.map((f) => f.id) } },
        data: { resolvedAt: now, openKey: null },
      });
    }

    const posted = { posted: 0, updated: 0 };
    if (this.alerts) {
      const alertOutcome = await this.alert(toResolve, now).catch((error: unknown) => {
        this.logger.error({ err: error }, "could not post routing alerts");
        return { posted: 0, updated: 0 };
      });
      Object.assign(posted, alertOutcome);
    }

    const byKind: Partial<Record<FindingKind, number>> = {};
    for (const { kind } of current.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
    const summary: CheckSummary = {
      runId: checkRun.id,
      numbersChecked: numbers.length,
      open: current.size,
      opened: toOpen.length,
      resolved: toResolve.length,
      byKind,
      messagesPosted: posted.posted,
      messagesUpdated: posted.updated,
      sync,
      ms: Date.now() - started,
      alertsEnabled: this.alerts !== null,
    };
    await this.db.checkRun.update({
      where: { id: checkRun.id },
      data: { finishedAt: this.clock.now(), summary: { ...summary, sync: undefined } as object },
    });
    return summary;
  }

  /** Posts what is new or due again, and updates messages whose findings resolved. */
  private async alert(resolved: RoutingFinding[], now: Date): Promise<{ posted: number; updated: number }> {
    const alerts = this.alerts!;
    let posted = 0;
    let updated = 0;
    const include = WITH_NUMBER;

    // 1. Findings never posted (and not snoozed), or whose snooze ended, or production ones open > a day.
    const due = (await this.db.routingFinding.findMany({
      where: {
        resolvedAt: null,
        OR: [
          { messageTs: null, snoozedUntil: null },
          { snoozedUntil: { lte: now } },
          {
            number: { isProduction: true },
            lastRaisedAt: { lte: new Date(now.getTime() - DAY_MS) },
            snoozedUntil: null,
          },
        ],
      },
      include,
    })) as FindingWithNumber[];
    // New findings and findings raised again go in separate messages, so "Still open" is only said of
    // the latter. Each is one message per number, or one digest when there are many.
    const fresh = due.filter((f) => f.messageTs === null);
    const again = due.filter((f) => f.messageTs !== null);
    for (const [findings, reraised] of [
      [fresh, false],
      [again, true],
    ] as const) {
      if (!findings.length) continue;
      const entries = entriesOf(findings);
      const digest = entries.length > DIGEST_THRESHOLD;
      for (const group of digest ? [entries] : entries.map((e) => [e])) {
        const ref = await alerts.post({ digest, reraised, entries: group });
        posted++;
        const ids = group.flatMap((e) => e.findings.map((f) => f.id));
        await this.db.routingFinding.updateMany({
          where: { id: { in: ids } },
          data: {
            channelId: ref?.channel ?? null,
            messageTs: ref?.ts ?? null,
            lastRaisedAt: now,
            snoozedUntil: null,
          },
        });
      }
    }

    // 2. Messages that now contain resolved findings: update them in place.
    const refs = uniqueRefs(resolved);
    for (const ref of refs) {
      await this.updateMessage(ref);
      updated++;
    }
    return { posted, updated };
  }

  /** Rebuilds one alert message from the current state of every finding it shows. */
  async updateMessage(ref: MessageRef): Promise<void> {
    if (!this.alerts) return;
    const findings = (await this.db.routingFinding.findMany({
      where: { channelId: ref.channel, messageTs: ref.ts },
      include: WITH_NUMBER,
    })) as FindingWithNumber[];
    if (!findings.length) return;
    const entries = entriesOf(findings);
    await this.alerts.update(ref, { digest: entries.length > 1, reraised: false, entries });
  }

  /** Snooze every open finding of a number for 24 h (button on the alert). */
  async snooze(
    numberId: string,
    actor: string,
    hours = 24,
    source: AuditSource = "button",
  ): Promise<MessageRef[]> {
    const number = await this.db.phoneNumber.findUnique({ where: { id: numberId } });
    if (!number)
      throw new DomainError("unknown_number", "That number is no longer in the inventory.", "number");
    const target = { numberId, e164: number.e164, provider: number.provider };
    await this.access.require(actor, "snooze", source, target);
    const until = after(this.clock, hours * 3_600_000);
    const open = await this.db.routingFinding.findMany({ where: { numberId, resolvedAt: null } });
    await this.db.routingFinding.updateMany({
      where: { numberId, resolvedAt: null },
      data: { snoozedUntil: until },
    });
    await recordAudit(this.db, {
      actor,
      action: "snooze",
      source,
      outcome: open.length ? "applied" : "noop",
      ...target,
      after: { snoozedUntil: until.toISOString(), findings: open.map((f) => f.kind) },
      detail: `alerts snoozed until ${until.toISOString()}`,
    });
    this.logger.info({ numberId, actor, until }, "findings snoozed");
    return this.refresh(open);
  }

  /** Resolve a number's open findings now (after it was marked spare or repaired). */
  async resolveNumber(numberId: string, kinds?: FindingKind[]): Promise<MessageRef[]> {
    const where = { numberId, resolvedAt: null, ...(kinds ? { kind: { in: kinds } } : {}) };
    const open = await this.db.routingFinding.findMany({ where });
    await this.db.routingFinding.updateMany({ where, data: { resolvedAt: this.clock.now(), openKey: null } });
    return this.refresh(open);
  }

  private async refresh(findings: RoutingFinding[]): Promise<MessageRef[]> {
    const refs = uniqueRefs(findings);
    for (const ref of refs) await this.updateMessage(ref);
    return refs;
  }
}

function entriesOf(findings: FindingWithNumber[]): AlertEntry[] {
  const byNumber = new Map<string, AlertEntry>();
  for (const f of findings) {
    const entry =
      byNumber.get(f.numberId) ??
      ({
        numberId: f.numberId,
        e164: f.number.e164,
        provider: f.number.provider,
        nickname: f.number.nickname,
        isProduction: f.number.isProduction,
        agentName: f.number.agent ? agentWithKind({ ...f.number.agent, provider: f.number.provider }) : null,
        findings: [],
      } satisfies AlertEntry);
    entry.findings.push({
      id: f.id,
      kind: f.kind,
      resolved: f.resolvedAt !== null,
      snoozedUntil: f.snoozedUntil,
      firstSeenAt: f.firstSeenAt,
    });
    byNumber.set(f.numberId, entry);
  }
  const severity = (e: AlertEntry) =>
    Math.min(...e.findings.map((f) => FINDING_SEVERITY[f.kind as FindingKind] ?? 9));
  return [...byNumber.values()].sort(
    (a, b) =>
      Number(b.isProduction) - Number(a.isProduction) ||
      severity(a) - severity(b) ||
      a.e164.localeCompare(b.e164),
  );
}

function uniqueRefs(findings: RoutingFinding[]): MessageRef[] {
  const refs = new Map<string, MessageRef>();
  for (const f of findings) {
    if (f.channelId && f.messageTs)
      refs.set(`${f.channelId}/${f.messageTs}`, { channel: f.channelId, ts: f.messageTs });
  }
  return [...refs.values()];
}
