// Routing-check alerts: one number per message, or a digest when a run finds many. Resolved
// findings stay in the message, marked resolved, so the channel tells the whole story.

import { formatPhoneNumber } from "../../domain/phoneNumber";
import { FINDING_ADVICE, type FindingKind } from "../../domain/routingFindings";
import { PROVIDER_LABEL } from "../../providers/types";
import type { AlertCard, AlertEntry } from "../../services/ports";
import { type AnyBlock, actions, context, esc, message, plain, type SlackMessage, section } from "./blocks";

export const ACTION_ALERT_ASSIGN = "alert_assign";
export const ACTION_ALERT_SNOOZE = "alert_snooze";
export const ACTION_ALERT_SPARE = "alert_spare";
export const ACTION_ALERT_MENU = "alert_menu";

function entryText(entry: AlertEntry): string {
  const open = entry.findings.filter((f) => !f.resolved);
  const head = `${entry.isProduction ? ":rotating_light: *production* " : ""}*${formatPhoneNumber(entry.e164)}*${entry.nickname ? ` “${esc(entry.nickname)}”` : ""} (${PROVIDER_LABEL[entry.provider]})${entry.agentName ? ` → ${esc(entry.agentName)}` : ""}`;
  if (!open.length) return `:white_check_mark: ~${head}~ — resolved`;
  const lines = entry.findings.map((f) => {
    const advice = FINDING_ADVICE[f.kind as FindingKind];
    if (f.resolved) return `:white_check_mark: ~${advice.title}~ (resolved)`;
    const snoozed =
      f.snoozedUntil && f.snoozedUntil.getTime() > Date.now()
        ? ` _(snoozed until <!date^${Math.floor(f.snoozedUntil.getTime() / 1000)}^{date_short_pretty} {time}|${f.snoozedUntil.toISOString()}>)_`
        : "";
    return `:warning: ${advice.title}${snoozed}\n      _${advice.fix}_`;
  });
  return `${head}\n${lines.join("\n")}`;
}

function overflowFor(entry: AlertEntry) {
  return {
    type: "overflow",
    action_id: ACTION_ALERT_MENU,
    options: [
      { text: plain("Assign…"), value: `assign:${entry.numberId}` },
      { text: plain("Snooze 24 h"), value: `snooze:${entry.numberId}` },
      { text: plain("Mark as spare"), value: `spare:${entry.numberId}` },
    ],
  };
}

export function alertMessage(card: AlertCard): SlackMessage {
  const open = card.entries.filter((e) => e.findings.some((f) => !f.resolved));
  const prefix = card.reraised ? "Still open: " : "";
  if (!card.digest && card.entries.length === 1) {
    const entry = card.entries[0]!;
    const blocks: AnyBlock[] = [section(`${prefix}${entryText(entry)}`)];
    if (open.length) {
      blocks.push(
        actions(
          `alert:${entry.numberId}`,
          { text: "Assign…", actionId: ACTION_ALERT_ASSIGN, value: entry.numberId, style: "primary" },
          { text: "Snooze 24 h", actionId: ACTION_ALERT_SNOOZE, value: entry.numberId },
          { text: "Mark as spare", actionId: ACTION_ALERT_SPARE, value: entry.numberId },
        ),
      );
    }
    const summary = open.length ? `Routing problem on ${entry.e164}` : `Resolved: ${entry.e164}`;
    return message(summary, blocks);
  }
  const blocks: AnyBlock[] = [
    section(
      `${prefix}*Routing check:* ${open.length} number${open.length === 1 ? "" : "s"} need${open.length === 1 ? "s" : ""} attention` +
        (card.entries.length > open.length ? `, ${card.entries.length - open.length} resolved` : ""),
    ),
  ];
  for (const entry of card.entries.slice(0, 45)) {
    const stillOpen = entry.findings.some((f) => !f.resolved);
    blocks.push(section(entryText(entry), stillOpen ? overflowFor(entry) : undefined));
  }
  if (card.entries.length > 45)
    blocks.push(context(`…and ${card.entries.length - 45} more: \`/numbers list unrouted\`.`));
  return message(`Routing check: ${open.length} numbers need attention`, blocks);
}
