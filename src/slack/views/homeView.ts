// App Home: the overview as a pure function of data.
import type { types } from "@slack/bolt";
import { agentKindLabel } from "../../domain/agentKinds";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { Overview } from "../../services/overview";
import { ACTION_ALERT_MENU } from "./alertMessage";
import { type AnyBlock, button, context, divider, esc, header, plain, section } from "./blocks";
import { testCallButton } from "./testCallViews";

const when = (d: Date | null) =>
  d ? `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>` : "never";

const HEALTH: Record<string, string> = {
  ok: ":large_green_circle: healthy",
  invalid_key: ":red_circle: API key invalid",
  unreachable: ":large_orange_circle: unreachable",
  billing: ":red_circle: billing problem",
  account_inactive: ":red_circle: account not active",
  unknown: ":white_circle: not checked yet",
};

/** Health problems whose message says what to do (the provider error module wrote it). */
const EXPLAINED = new Set(["invalid_key", "billing", "account_inactive", "unreachable"]);

export function homeView(overview: Overview): types.HomeView {
  const blocks: AnyBlock[] = [header("Switchboard")];
  const rows = overview.providers.map((p) =>
    p.enabled
      ? `*${PROVIDER_LABEL[p.provider]}* — ${p.total} numbers: ${p.assigned} assigned, ${p.unrouted ? `*${p.unrouted} unrouted*` : "0 unrouted"} · ${HEALTH[p.health] ?? p.health} · synced ${when(p.lastSyncAt)}`
      : `*${PROVIDER_LABEL[p.provider]}* — not configured`,
  );
  blocks.push(section(rows.join("\n")));
  // A key or account problem, with its own message and fix (Retell 401/402, Vapi 401, Bland inactive).
  for (const p of overview.providers) {
    if (p.enabled && EXPLAINED.has(p.health) && p.healthMessage) {
      blocks.push(context(`*${PROVIDER_LABEL[p.provider]}:* ${esc(p.healthMessage.slice(0, 500))}`));
    }
  }
  blocks.push(context(`Last routing check: ${when(overview.lastCheckAt)}`), divider());

  blocks.push(section(`*Unrouted numbers* (${overview.unroutedTotal}) — inbound calls are not answered`));
  if (!overview.unrouted.length) blocks.push(context("None: every number has an agent or is a spare."));
  for (const n of overview.unrouted) {
    blocks.push(
      section(
        `${n.isProduction ? ":rotating_light: " : ""}\`${formatPhoneNumber(n.e164)}\`${n.nickname ? ` “${esc(n.nickname)}”` : ""} (${PROVIDER_LABEL[n.provider]})`,
        {
          type: "overflow",
          action_id: ACTION_ALERT_MENU,
          options: [
            { text: plain("Assign…"), value: `assign:${n.id}` },
            { text: plain("Mark as spare"), value: `spare:${n.id}` },
          ],
        },
      ),
    );
  }
  if (overview.unroutedTotal > overview.unrouted.length) {
    blocks.push(
      context(`…and ${overview.unroutedTotal - overview.unrouted.length} more: \`/numbers list unrouted\``),
    );
  }
  blocks.push(divider(), section(`*Pending approvals* (${overview.pendingApprovals.length})`));
  if (!overview.pendingApprovals.length) blocks.push(context("None."));
  for (const a of overview.pendingApprovals) {
    blocks.push(
      context(
        `${a.kind} \`${formatPhoneNumber(a.e164)}\` requested by <@${a.requesterId}>, expires ${when(a.expiresAt)}`,
      ),
    );
  }
  if (overview.assignedSample.length) {
    blocks.push(divider(), section("*Assigned numbers* (production first)"));
    for (const n of overview.assignedSample) {
      const line = `\`${formatPhoneNumber(n.e164)}\` (${PROVIDER_LABEL[n.provider]}) → ${esc(n.agentName)} _(${agentKindLabel(n.provider, n.agentKind)})_`;
      blocks.push(section(line, button(testCallButton(n.id))));
    }
  }
  blocks.push(context("`/assign-number` · `/unassign-number` · `/numbers help`"));
  return { type: "home", blocks: blocks.slice(0, 100) };
}
