// The audit trail: every change, refusal, decision and sync outcome, appended, never edited.

import type { Db } from "../db/database";
import type { ProviderName } from "../domain/providers";
import type { Prisma } from "../generated/prisma/client";

export type AuditSource = "slash_command" | "modal" | "button" | "approval" | "sync" | "check" | "system";
export type AuditOutcome = "applied" | "refused" | "failed" | "pending" | "noop" | "ok";

export interface AuditEntry {
  actor: string;
  action: string;
  source: AuditSource;
  outcome: AuditOutcome;
  numberId?: string | null;
  e164?: string | null;
  provider?: ProviderName | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  detail?: string;
  requestId?: string;
}

type AuditWriter = Pick<Db, "auditEvent">;

export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      source: entry.source,
      outcome: entry.outcome,
      numberId: entry.numberId ?? null,
      e164: entry.e164 ?? null,
      provider: entry.provider ?? null,
      before: entry.before,
      after: entry.after,
      detail: entry.detail ?? null,
      requestId: entry.requestId ?? null,
    },
  });
}
