// The approval request as posted in the approval channel, and as it reads once decided.
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { ApprovalCard } from "../../services/ports";
import { actions, type ButtonSpec, context, esc, message, type SlackMessage, section } from "./blocks";

export const ACTION_APPROVE = "approval_approve";
export const ACTION_APPROVE_OVERRIDE = "approval_approve_override";
export const ACTION_REJECT = "approval_reject";
export const ACTION_CANCEL_REQUEST = "approval_cancel";

const yesNo = (ok: boolean, yes: string, no: string) => (ok ? `:white_check_mark: ${yes}` : `:x: ${no}`);

export function approvalMessage(card: ApprovalCard): SlackMessage {
  const number = `${formatPhoneNumber(card.e164)} (${PROVIDER_LABEL[card.provider]})`;
  const what = {
    reassign: `move production number *${number}* from *${esc(card.fromAgent ?? "no agent")}* to *${esc(card.toAgent ?? "")}*`,
    unassign: `unassign production number *${number}* from *${esc(card.fromAgent ?? "")}* (it will answer no calls)`,
    restore: `restore Switchboard's routing of production number *${number}* at the provider, which routes it differently now: ${card.toAgent ? `back to *${esc(card.toAgent)}*` : "to no agent (it will answer no calls)"}`,
  }[card.kind];
  const lines = [`:rotating_light: <@${card.requesterId}> asks to ${what}.`];
  if (card.kind === "unassign")
    lines.push("The number stays in the account but inbound calls will not be answered.");
  const blocks = [section(lines.join("\n"))];
  if (card.target) {
    blocks.push(
      context(
        `Target agent *${esc(card.toAgent ?? "")}*:`,
        yesNo(card.target.published, "published", "not published"),
        yesNo(card.target.active, "active", "not active"),
        yesNo(
          card.target.keyValid,
          `${PROVIDER_LABEL[card.provider]} key valid`,
          `${PROVIDER_LABEL[card.provider]} key invalid`,
        ),
      ),
    );
  }
  const ready = !card.target || (card.target.published && card.target.active && card.target.keyValid);
  if (card.status === "pending") {
    blocks.push(
      context(
        `Expires <!date^${Math.floor(card.expiresAt.getTime() / 1000)}^{date_short_pretty} {time}|${card.expiresAt.toISOString()}>. The requester cannot approve their own request.`,
      ),
    );
    const buttons: ButtonSpec[] = [
      { text: "Approve", actionId: ACTION_APPROVE, value: card.id, style: "primary" },
      { text: "Reject", actionId: ACTION_REJECT, value: card.id, style: "danger" },
    ];
    if (!ready) {
      buttons.push({
        text: "Approve anyway",
        actionId: ACTION_APPROVE_OVERRIDE,
        value: card.id,
        confirm: {
          title: "Target agent not ready",
          text: "The target agent is not published/active or the provider key is invalid. Calls may fail after the move. Approve anyway?",
          confirm: "Approve anyway",
        },
      });
    }
    blocks.push(actions("approval", ...buttons));
  } else {
    const by = card.decidedBy ? ` by <@${card.decidedBy}>` : "";
    const icon = {
      approved: ":white_check_mark:",
      rejected: ":no_entry:",
      expired: ":hourglass:",
      cancelled: ":heavy_multiplication_x:",
      failed: ":warning:",
      pending: "",
    }[card.status];
    blocks.push(
      section(
        `${icon} *${card.status[0]!.toUpperCase()}${card.status.slice(1)}*${by}${card.overridden ? " (readiness overridden)" : ""}. ${esc(card.outcome ?? "")}`,
      ),
    );
  }
  return message(`Approval ${card.status}: ${card.kind} ${card.e164}`, blocks);
}

/** What the requester sees right after asking. */
export function approvalPendingMessage(
  card: ApprovalCard,
  posted: boolean,
  approversConfigured: boolean,
): SlackMessage {
  const where = posted
    ? "in the approval channel"
    : "(no approval channel is configured: ask an operator to set APPROVAL_CHANNEL_ID)";
  const warning = approversConfigured
    ? ""
    : "\n:warning: No approvers are configured, so nobody can approve it yet (APPROVER_USER_IDS / APPROVER_USERGROUP_ID).";
  const text = `:hourglass_flowing_sand: ${formatPhoneNumber(card.e164)} is a production number: your request to ${card.kind} it is waiting for an approver ${where}. Nothing has changed yet.${warning}`;
  return message(text, [
    section(text),
    actions("approval_requester", {
      text: "Cancel request",
      actionId: ACTION_CANCEL_REQUEST,
      value: card.id,
    }),
  ]);
}

/** The requester's DM when their request ends: "Your request to reassign +1… was approved by @Alex. …" */
export function requesterUpdateText(card: ApprovalCard): string {
  const who = card.decidedBy ? ` by <@${card.decidedBy}>` : "";
  return `Your request to ${card.kind} ${card.e164} was ${card.status}${who}. ${card.outcome ?? ""}`;
}
