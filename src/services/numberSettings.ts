// Per-number settings that are not bindings: the production flag (approvers only) and spares
// (a number marked spare leaves the routing check: its open findings are resolved at once; taken off
// the spares, or assigned, the check watches it again), and the number's history from the audit trail.
import type { Db } from "../db/database";
import type { ProviderName } from "../domain/providers";
import type { AccessGate } from "./access";
import { type AuditSource, recordAudit } from "./audit";
import type { ChangeFeed } from "./changeFeed";
import { DomainError } from "./errors";
import type { InventoryService } from "./inventory";
import type { ApproverDirectory } from "./ports";

export class NumberSettingsService {
  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly approvers: ApproverDirectory,
    /** Resolves a number's open findings (and updates their alert messages). */
    private readonly resolveFindings: (numberId: string) => Promise<unknown>,
    private readonly access: AccessGate,
    private readonly changes?: ChangeFeed,
  ) {}

  async setProduction(e164: string, on: boolean, actor: string, source: AuditSource = "slash_command") {
    await this.access.require(actor, "production", source, { e164 });
    if (!this.approvers.configured()) {
      throw new DomainError(
        "not_allowed",
        "Only approvers can change the production flag, and none are configured: an operator must set APPROVER_USER_IDS or APPROVER_USERGROUP_ID.",
      );
    }
    if (!(await this.approvers.isApprover(actor))) {
      throw new DomainError("not_allowed", "Only approvers can change the production flag. Ask one of them.");
    }
    const number = await this.inventory.numberByE164(e164);
    if (number.isProduction === on) return { changed: false };
    await this.db.phoneNumber.update({
      where: { id: number.id },
      data: { isProduction: on },
    });
    await recordAudit(this.db, {
      actor,
      action: on ? "production_on" : "production_off",
      source,
      outcome: "applied",
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      before: { isProduction: number.isProduction },
      after: { isProduction: on },
    });
    this.changes?.emit();
    return { changed: true };
  }

  /** Marks the number as an intentional spare: audited, left out of the check, its findings resolved. */
  async markSpare(numberId: string, actor: string, source: AuditSource = "button") {
    const number = await this.inventory.numberById(numberId);
    await this.changeSpare(number, true, actor, source);
    await this.resolveFindings(numberId);
    return { e164: number.e164 };
  }

  /** Takes the number off the spares: audited; the routing check watches it again from its next run. */
  async unmarkSpare(numberId: string, actor: string, source: AuditSource = "button") {
    const number = await this.inventory.numberById(numberId);
    return { e164: number.e164, changed: await this.changeSpare(number, false, actor, source) };
  }

  /** `/numbers spare <number> on|off`. */
  async setSpare(e164: string, on: boolean, actor: string, source: AuditSource = "slash_command") {
    const number = await this.inventory.numberByE164(e164);
    const changed = await this.changeSpare(number, on, actor, source);
    if (on) await this.resolveFindings(number.id);
    return { e164: number.e164, changed };
  }

  /** The one spare writer: access, then the flag and its audit event; false when it already was so. */
  private async changeSpare(
    number: { id: string; e164: string; provider: ProviderName; isSpare: boolean },
    isSpare: boolean,
    actor: string,
    source: AuditSource,
  ): Promise<boolean> {
    await this.access.require(actor, isSpare ? "spare" : "unspare", source, {
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
    });
    if (number.isSpare === isSpare) return false;
    await this.db.phoneNumber.update({ where: { id: number.id }, data: { isSpare } });
    await recordAudit(this.db, {
      actor,
      action: isSpare ? "spare_on" : "spare_off",
      source,
      outcome: "applied",
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      before: { isSpare: !isSpare },
      after: { isSpare },
    });
    this.changes?.emit();
    return true;
  }

  /** The number's audit trail, newest first. */
  async history(e164: string, take = 20): Promise<HistoryEntry[]> {
    const number = await this.inventory.numberByE164(e164);
    const events = await this.db.auditEvent.findMany({
      where: { numberId: number.id },
      orderBy: { at: "desc" },
      take,
    });
    return events.map((e) => ({
      at: e.at,
      actor: e.actor,
      action: e.action,
      outcome: e.outcome,
      source: e.source,
      detail: e.detail,
    }));
  }
}

/** One line of a number's history. */
export interface HistoryEntry {
  at: Date;
  actor: string;
  action: string;
  outcome: string;
  source: string;
  detail: string | null;
}
