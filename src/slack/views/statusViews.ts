// `/numbers status` and `/numbers check` answers.

import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import { FINDING_ADVICE, type FindingKind } from "../../domain/routingFindings";
import type { StatusReport } from "../../services/numberStatus";
import type { CheckSummary } from "../../services/routingCheck";
import {
  type AnyBlock,
  actions,
  type ButtonSpec,
  context,
  esc,
  message,
  type SlackMessage,
  section,
} from "./blocks";
import { driftButtons } from "./driftViews";
import { testCallButton } from "./testCallViews";

export const ACTION_STATUS_ASSIGN = "status_assign";
/** "Not a spare" on a spare's status: the routing check watches it again. */
export const ACTION_STATUS_UNSPARE = "status_unspare";

const mark = (ok: boolean | null) =>
  ok === true ? ":white_check_mark:" : ok === false ? ":x:" : ":grey_question:";

export function statusMessage(report: StatusReport, extraButtons: ButtonSpec[] = []): SlackMessage {
  const n = report.number;
  const head = `*${formatPhoneNumber(n.e164)}*${n.nickname ? ` “${esc(n.nickname)}”` : ""} (${PROVIDER_LABEL[n.provider]})${n.isProduction ? " · :rotating_light: production" : ""}${n.isSpare ? " · spare" : ""}`;
  const lines = report.items.map(
    (item) =>
      `${mark(item.ok)} *${esc(item.check)}* — ${esc(item.detail)}${item.ok === false && item.fix ? `\n      → ${esc(item.fix)}` : ""}`,
  );
  const blocks: AnyBlock[] = [section(`${head}\n${lines.join("\n")}`)];
  if (report.notes.length) blocks.push(context(...report.notes.map(esc)));
  const healthy = report.findings.length === 0;
  blocks.push(
    context(
      healthy
        ? "All checks pass. Make a test call to confirm the agent answers."
        : `Problems: ${report.findings.map((f: FindingKind) => FINDING_ADVICE[f].title).join("; ")}.`,
    ),
  );
  const buttons: ButtonSpec[] = [...extraButtons];
  if (report.findings.includes("drift") || report.findings.includes("multiple_agents"))
    buttons.push(...driftButtons(n.id));
  if (n.agent) buttons.push(testCallButton(n.id));
  if (!n.agent && !n.isSpare)
    buttons.unshift({ text: "Assign…", actionId: ACTION_STATUS_ASSIGN, value: n.id, style: "primary" });
  if (n.isSpare) buttons.push({ text: "Not a spare", actionId: ACTION_STATUS_UNSPARE, value: n.id });
  if (buttons.length) blocks.push(actions(`status:${n.id}`, ...buttons));
  return message(
    `Status of ${n.e164}: ${healthy ? "all checks pass" : `${report.findings.length} problem(s)`}`,
    blocks,
  );
}

export function checkSummaryMessage(summary: CheckSummary): SlackMessage {
  const kinds = Object.entries(summary.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `• ${FINDING_ADVICE[kind as FindingKind].title}: *${count}*`);
  const failedSync = summary.sync.providers
    .filter((p) => !p.ok)
    .map((p) => `${PROVIDER_LABEL[p.provider]}: ${esc(p.error ?? "failed")}`);
  const text =
    summary.open === 0
      ? `:white_check_mark: Routing check: all ${summary.numbersChecked} numbers route correctly.`
      : `:warning: Routing check: ${summary.open} open finding${summary.open === 1 ? "" : "s"} over ${summary.numbersChecked} numbers (${summary.opened} new, ${summary.resolved} resolved).`;
  const blocks: AnyBlock[] = [section(text)];
  if (kinds.length) blocks.push(section(kinds.join("\n")));
  if (failedSync.length) blocks.push(section(`:x: Sync failed for ${failedSync.join("; ")}`));
  blocks.push(
    context(
      summary.alertsEnabled
        ? `${summary.messagesPosted} alert message(s) posted, ${summary.messagesUpdated} updated. ${summary.ms} ms.`
        : `No ALERT_CHANNEL_ID is set, so nothing was posted. ${summary.ms} ms.`,
    ),
  );
  return message(text, blocks);
}
