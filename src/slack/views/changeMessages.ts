// Messages about a binding change: confirm, working, done, refused. Pure functions of data.

import type { GatedKind } from "../../domain/assignmentRules";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { AppliedChange, ChangeOutcome, PlannedChange } from "../../services/assignment";
import type { ReplaceOffer } from "../../services/errors";
import { approvalPendingMessage } from "./approvalMessage";
import { actions, context, esc, message, type SlackMessage, section } from "./blocks";
import { testCallButton } from "./testCallViews";

export const ACTION_CONFIRM_CHANGE = "change_confirm";
export const ACTION_CANCEL_CHANGE = "change_cancel";

/** Compact button value: ids and the version the user saw (re-validated server-side on click). */
export interface ChangeButtonValue {
  n: string;
  a: string | null;
  v: number;
}

export function encodeChange(plan: PlannedChange): string {
  const value: ChangeButtonValue = { n: plan.numberId, a: plan.targetAgentId, v: plan.expectedVersion };
  return JSON.stringify(value);
}

export function numberLabel(e164: string, provider: keyof typeof PROVIDER_LABEL): string {
  return `${formatPhoneNumber(e164)} (${PROVIDER_LABEL[provider]})`;
}

export function confirmChangeMessage(kind: GatedKind, plan: PlannedChange, reason: string): SlackMessage {
  const number = numberLabel(plan.e164, plan.provider);
  const title = {
    reassign: `Move *${number}* from *${esc(plan.currentAgentName ?? "")}* to *${esc(plan.targetAgentName ?? "")}*?`,
    unassign: `Unassign *${number}* from *${esc(plan.currentAgentName ?? "")}*?`,
    restore: `Restore Switchboard's routing of *${number}* (${plan.targetAgentName ? `to *${esc(plan.targetAgentName)}*` : "no agent"}) at the provider?`,
  }[kind];
  const button = { reassign: "Reassign", unassign: "Unassign", restore: "Restore" }[kind];
  return message(`${title} ${reason}`, [
    section(`${title}\n${esc(reason)}`),
    actions(
      "change_confirm",
      {
        text: button,
        actionId: ACTION_CONFIRM_CHANGE,
        value: encodeChange(plan),
        style: kind === "unassign" ? "danger" : "primary",
      },
      { text: "Cancel", actionId: ACTION_CANCEL_CHANGE, value: "cancel" },
    ),
  ]);
}

export function workingMessage(text: string): SlackMessage {
  return message(`:hourglass_flowing_sand: ${text}`);
}

export function appliedChangeMessage(change: AppliedChange): SlackMessage {
  const number = numberLabel(change.e164, change.provider);
  const previous = change.previousAgent ? esc(change.previousAgent.name) : null;
  let text: string;
  if (change.kind === "restore") {
    text = change.newAgent
      ? `:white_check_mark: Restored: *${number}* routes to *${esc(change.newAgent.name)}* again, as Switchboard records it.`
      : `:white_check_mark: Restored: *${number}* routes to no agent again, as Switchboard records it; it answers no calls.`;
  } else if (change.kind === "unassign") {
    text = `:white_check_mark: *${number}* is no longer assigned. *${previous}* has lost it; the number stays in the account but answers no calls until it is assigned again.`;
  } else {
    text = `:white_check_mark: *${number}* now routes to *${esc(change.newAgent?.name ?? "")}*, and is its outbound caller ID.`;
    if (previous) text += `\nPrevious agent: *${previous}*, which no longer has this number.`;
  }
  const facts = [`Verified at ${PROVIDER_LABEL[change.provider]} after writing.`];
  if (change.isProduction) facts.push(":rotating_light: production number");
  const blocks = [section(text), context(...facts)];
  if (change.newAgent) blocks.push(actions(`done:${change.numberId}`, testCallButton(change.numberId)));
  return message(text.replace(/\*/g, ""), blocks);
}

export function noopMessage(reason: string): SlackMessage {
  return message(`:information_source: ${esc(reason)}`);
}

export function errorMessage(text: string): SlackMessage {
  // Escaped (it may quote provider or user text), but user and user group mentions stay mentions.
  return message(
    `:warning: ${esc(text)
      .replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>")
      .replace(/&lt;!subteam\^(S[A-Z0-9]+)&gt;/g, "<!subteam^$1>")}`,
  );
}

export function cancelledMessage(): SlackMessage {
  return message("Cancelled: nothing was changed.");
}

export const ACTION_REPLACE = "change_replace";

/** Agent at its number limit: offer to move the agent from its current number to this one. */
export function atLimitMessage(text: string, offer: ReplaceOffer): SlackMessage {
  const value = JSON.stringify({
    n: offer.numberId,
    a: offer.targetAgentId,
    v: offer.expectedVersion,
    h: offer.heldNumberId,
    hv: offer.heldVersion,
  });
  return message(`:warning: ${esc(text)}`, [
    section(`:warning: ${esc(text)}`),
    actions(
      "change_replace",
      {
        text: `Replace ${offer.heldE164}`,
        actionId: ACTION_REPLACE,
        value,
        style: "primary",
        confirm: {
          title: "Replace the agent's number?",
          text: `${offer.heldE164} will be unassigned (it stays in the account but answers no calls), then the agent gets the new number.`,
          confirm: "Replace",
        },
      },
      { text: "Cancel", actionId: ACTION_CANCEL_CHANGE, value: "cancel" },
    ),
  ]);
}

/**
 * What the user sees for a change's outcome, the same from every entry point (typed command,
 * confirmation button, modal): applied, confirm, approval pending, no-op. A duplicate delivery: nothing.
 */
export function changeOutcomeMessage(outcome: ChangeOutcome): SlackMessage | null {
  switch (outcome.outcome) {
    case "applied":
      return appliedChangeMessage(outcome.change);
    case "noop":
      return noopMessage(outcome.reason);
    case "confirm":
      return confirmChangeMessage(outcome.kind, outcome.plan, outcome.reason);
    case "approval":
      return approvalPendingMessage(
        outcome.approval.card,
        outcome.approval.posted,
        outcome.approval.approversConfigured,
      );
    case "duplicate":
      return null;
  }
}
