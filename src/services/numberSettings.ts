// Per-number settings that are not bindings: the production flag (approvers only) and spares.
import type { Db } from "../db/database";
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
    private readonly changes?: ChangeFeed,
  ) {}

  async setProduction(e164: string, on: boolean, actor: string, source: AuditSource = "slash_command") {
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
    if (number.isProduction === on) return { number, changed: false };
    const updated = await this.db.phoneNumber.update({
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
    return { number: { ...number, ...updated }, changed: true };
  }

  async setSpare(numberId: string, spare: boolean, actor: string, source: AuditSource = "button") {
    const number = await this.inventory.numberById(numberId);
    if (number.isSpare === spare) return number;
    await this.db.phoneNumber.update({ where: { id: numberId }, data: { isSpare: spare } });
    await recordAudit(this.db, {
      actor,
      action: spare ? "spare_on" : "spare_off",
      source,
      outcome: "applied",
      numberId,
      e164: number.e164,
      provider: number.provider,
      before: { isSpare: number.isSpare },
      after: { isSpare: spare },
    });
    this.changes?.emit();
    return { ...number, isSpare: spare };
  }

  history(numberId: string, take = 20) {
    return this.db.auditEvent.findMany({ where: { numberId }, orderBy: { at: "desc" }, take });
  }
}
