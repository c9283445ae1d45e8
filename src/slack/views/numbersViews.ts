// Replies of the /numbers toolbox: lists, history, sync summaries. Pure functions of data.
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { NumberSummary } from "../../services/inventory";
import type { SyncResult } from "../../services/inventorySync";
import type { HistoryEntry } from "../../services/numberSettings";
import { context, esc, message, type SlackMessage, section } from "./blocks";

export function numberLine(n: NumberSummary): string {
  const flags = [n.isProduction ? ":rotating_light: production" : "", n.isSpare ? "spare" : ""]
    .filter(Boolean)
    .join(", ");
  const agent = n.agent
    ? `→ *${esc(n.agent.name)}*`
    : n.isSpare
      ? "_spare (unassigned on purpose)_"
      : ":no_entry_sign: _no agent: answers no calls_";
  const nick = n.nickname ? ` “${esc(n.nickname)}”` : "";
  return `\`${formatPhoneNumber(n.e164)}\`${nick} (${PROVIDER_LABEL[n.provider]}) ${agent}${flags ? ` · ${flags}` : ""}`;
}

export function numberListMessage(
  title: string,
  numbers: NumberSummary[],
  page: number,
  pages: number,
  total: number,
): SlackMessage {
  if (total === 0) return message(`${title}: none.`);
  const lines = numbers.map(numberLine);
  const next = page < pages ? ` Next: add \`${page + 1}\` to the command.` : "";
  return message(`${title} (${total})`, [
    section(`*${title}* — ${total} number${total === 1 ? "" : "s"}, page ${page} of ${pages}`),
    ...chunk(lines, 20).map((group) => section(group.join("\n"))),
    context(`Showing ${numbers.length} of ${total}.${next}`),
  ]);
}

export function historyMessage(e164: string, events: HistoryEntry[]): SlackMessage {
  if (!events.length) return message(`No history for ${formatPhoneNumber(e164)} yet.`);
  const lines = events.map((e) => {
    const when = `<!date^${Math.floor(e.at.getTime() / 1000)}^{date_short} {time}|${e.at.toISOString()}>`;
    const who = /^[UW][A-Z0-9]+$/.test(e.actor) ? `<@${e.actor}>` : e.actor;
    const detail = e.detail ? ` — ${esc(e.detail.slice(0, 200))}` : "";
    return `${when} ${who} *${e.action}* (${e.outcome}, ${e.source})${detail}`;
  });
  return message(`History of ${e164}`, [
    section(`*History of ${formatPhoneNumber(e164)}* (latest first)`),
    ...chunk(lines, 10).map((group) => section(group.join("\n"))),
  ]);
}

export function syncMessage(result: SyncResult): SlackMessage {
  if (!result.providers.length) {
    return message(
      "No provider is configured: set RETELL_API_KEY, VAPI_API_KEY or BLAND_API_KEY and restart.",
    );
  }
  const lines = result.providers.map((p) =>
    p.ok
      ? `:white_check_mark: *${PROVIDER_LABEL[p.provider]}*: ${p.numbers.total} numbers (+${p.numbers.added} new, ${p.numbers.gone} gone), ${p.agents.total} agents (+${p.agents.added}, ${p.agents.gone} gone)${p.drift ? `, :warning: ${p.drift} routed differently than recorded` : ""} — ${p.ms} ms`
      : `:x: *${PROVIDER_LABEL[p.provider]}*: ${esc(p.error ?? "failed")}`,
  );
  return message("Sync finished", [section(`*Sync finished*\n${lines.join("\n")}`)]);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
