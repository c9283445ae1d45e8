// The numbers at a glance, for App Home: counts per provider, unrouted numbers (production
// first), pending approvals, last sync and check, provider health.
import type { Db } from "../db/database";
import { type AgentKind, DEFAULT_AGENT_KIND, PROVIDERS, type ProviderName } from "../domain/providers";

export interface Overview {
  providers: {
    provider: ProviderName;
    enabled: boolean;
    health: string;
    healthMessage: string | null;
    lastSyncAt: Date | null;
    total: number;
    assigned: number;
    unrouted: number;
  }[];
  unrouted: {
    id: string;
    e164: string;
    provider: ProviderName;
    isProduction: boolean;
    nickname: string | null;
  }[];
  unroutedTotal: number;
  pendingApprovals: { id: string; kind: string; e164: string; requesterId: string; expiresAt: Date }[];
  lastCheckAt: Date | null;
  assignedSample: {
    id: string;
    e164: string;
    provider: ProviderName;
    agentName: string;
    agentKind: AgentKind;
  }[];
}

export class OverviewService {
  constructor(private readonly db: Db) {}

  load(): Promise<Overview> {
    return loadOverview(this.db);
  }
}

async function loadOverview(db: Db): Promise<Overview> {
  const live = { goneAt: null };
  const unroutedWhere = { ...live, agentId: null, isSpare: false };
  const [
    accounts,
    totals,
    assigned,
    unrouted,
    unroutedRows,
    unroutedTotal,
    approvals,
    lastCheck,
    assignedRows,
  ] = await Promise.all([
    db.providerAccount.findMany(),
    db.phoneNumber.groupBy({ by: ["provider"], where: live, _count: { _all: true } }),
    db.phoneNumber.groupBy({
      by: ["provider"],
      where: { ...live, agentId: { not: null } },
      _count: { _all: true },
    }),
    db.phoneNumber.groupBy({ by: ["provider"], where: unroutedWhere, _count: { _all: true } }),
    db.phoneNumber.findMany({
      where: unroutedWhere,
      orderBy: [{ isProduction: "desc" }, { e164: "asc" }],
      take: 15,
      select: { id: true, e164: true, provider: true, isProduction: true, nickname: true },
    }),
    db.phoneNumber.count({ where: unroutedWhere }),
    db.approvalRequest.findMany({
      where: { status: "pending" },
      include: { number: { select: { e164: true } } },
      orderBy: { createdAt: "asc" },
      take: 10,
    }),
    db.checkRun.findFirst({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "desc" } }),
    db.phoneNumber.findMany({
      where: { ...live, agentId: { not: null } },
      orderBy: [{ isProduction: "desc" }, { e164: "asc" }],
      take: 10,
      select: { id: true, e164: true, provider: true, agent: { select: { name: true, kind: true } } },
    }),
  ]);
  const count = (rows: { provider: ProviderName; _count: { _all: number } }[], p: ProviderName) =>
    rows.find((r) => r.provider === p)?._count._all ?? 0;
  const account = new Map(accounts.map((a) => [a.provider, a]));
  return {
    providers: PROVIDERS.map((provider) => ({
      provider,
      enabled: account.get(provider)?.enabled ?? false,
      health: account.get(provider)?.health ?? "unknown",
      healthMessage: account.get(provider)?.healthMessage ?? null,
      lastSyncAt: account.get(provider)?.lastSyncAt ?? null,
      total: count(totals, provider),
      assigned: count(assigned, provider),
      unrouted: count(unrouted, provider),
    })),
    unrouted: unroutedRows,
    unroutedTotal,
    pendingApprovals: approvals.map((a) => ({
      id: a.id,
      kind: a.kind,
      e164: a.number.e164,
      requesterId: a.requesterId,
      expiresAt: a.expiresAt,
    })),
    lastCheckAt: lastCheck?.finishedAt ?? null,
    assignedSample: assignedRows.map((r) => ({
      id: r.id,
      e164: r.e164,
      provider: r.provider,
      agentName: r.agent?.name ?? "",
      agentKind: r.agent?.kind ?? DEFAULT_AGENT_KIND[r.provider],
    })),
  };
}
