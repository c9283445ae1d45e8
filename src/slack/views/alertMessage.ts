// Routing-check alerts: one number per message, or a digest when a run finds many. Resolved
// findings stay in the message, marked resolved, so the channel tells the whole story.

import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import { FINDING_ADVICE, type FindingKind } from "../../domain/routingFindings";
import type { AlertCard, AlertEntry } from "../../services/ports";
import { type AnyBlock, actions, context, esc, message, plain, type SlackMessage, section } from "./blocks";
import { driftButtons } from "./driftViews";

export const ACTION_ALERT_ASSIGN = "alert_assign";
export const ACTION_ALERT_SNOOZE = "alert_snooze";
export const ACTION_ALERT_SPARE = "alert_spare";
export const ACTION_ALERT_MENU = "alert_menu";
/** Numbers listed in a digest: with its header and the "more" line, within Slack's 50 blocks. */
const DIGEST_SHOWN = 45;

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

const hasDrift = (entry: AlertEntry) =>
  entry.findings.some((f) => !f.resolved && (f.kind === "drift" || f.kind === "multiple_agents"));

function overflowFor(entry: AlertEntry) {
  return {
    type: "overflow",
    action_id: ACTION_ALERT_MENU,
    options: [
      { text: plain("Assign…"), value: `assign:${entry.numberId}` },
      { text: plain("Snooze 24 h"), value: `snooze:${entry.numberId}` },
      { text: plain("Mark as spare"), value: `spare:${entry.numberId}` },
      ...(hasDrift(entry)
        ? [
            { text: plain("Restore Switchboard's routing"), value: `restore:${entry.numberId}` },
            { text: plain("Keep provider's routing"), value: `keep:${entry.numberId}` },
          ]
        : []),
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
          ...(hasDrift(entry) ? driftButtons(entry.numberId) : []),
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
  // Open numbers first (already ranked: production, then severity), resolved ones after them.
  const openSet = new Set(open);
  const resolved = card.entries.filter((e) => !openSet.has(e));
  const shown = [...open, ...resolved].slice(0, DIGEST_SHOWN);
  for (const entry of shown) {
    blocks.push(section(entryText(entry), openSet.has(entry) ? overflowFor(entry) : undefined));
  }
  const hidden = card.entries.length - shown.length;
  if (hidden > 0)
    blocks.push(
      context(
        `…and ${hidden} more number${hidden === 1 ? "" : "s"}: \`/numbers check\` sums them up, \`/numbers list unrouted\` lists the unrouted ones.`,
      ),
    );
  return message(`Routing check: ${open.length} numbers need attention`, blocks);
}
