// Drift repair: the two buttons offered wherever drift is shown, and the keep-one chooser.
import type { types } from "@slack/bolt";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { AppliedChange, ChangeOutcome } from "../../services/assignment";
import { actions, type ButtonSpec, context, esc, message, plain, type SlackMessage, section } from "./blocks";
import { changeOutcomeMessage } from "./changeMessages";
import { testCallButton } from "./testCallViews";

export const ACTION_DRIFT_RESTORE = "drift_restore";
export const ACTION_DRIFT_KEEP = "drift_keep";
export const KEEP_ONE_MODAL = "drift_keep_one";
export const KEEP_ONE_BLOCK = "keep";
export const KEEP_ONE_PICK = "keep_pick";

export function driftButtons(numberId: string): ButtonSpec[] {
  return [
    { text: "Restore", actionId: ACTION_DRIFT_RESTORE, value: numberId, style: "primary" },
    { text: "Keep provider's", actionId: ACTION_DRIFT_KEEP, value: numberId },
  ];
}

export function keepOneModal(
  numberId: string,
  e164: string,
  candidates: { id: string; name: string }[],
): types.ModalView {
  return {
    type: "modal",
    callback_id: KEEP_ONE_MODAL,
    private_metadata: JSON.stringify({ numberId }),
    title: plain("Keep one agent", 24),
    submit: plain("Keep this one", 24),
    close: plain("Cancel", 24),
    blocks: [
      section(
        `${formatPhoneNumber(e164)} is split between ${candidates.length} agents at the provider. A number routes to exactly one agent: pick the one to keep; the others are removed at the provider.`,
      ),
      {
        type: "input",
        block_id: KEEP_ONE_BLOCK,
        label: plain("Agent to keep", 2000),
        element: {
          type: "radio_buttons",
          action_id: KEEP_ONE_PICK,
          options: candidates.slice(0, 10).map((a) => ({ text: plain(a.name), value: a.id })),
        },
      },
    ],
  };
}

/** A restore applied: the provider routes the number as Switchboard records it again (nobody lost it). */
export function restoredMessage(change: AppliedChange): SlackMessage {
  const label = PROVIDER_LABEL[change.provider];
  const number = `${formatPhoneNumber(change.e164)} (${label})`;
  const text = change.newAgent
    ? `:white_check_mark: Restored Switchboard's routing: *${number}* routes to *${esc(change.newAgent.name)}* again, as recorded.`
    : `:white_check_mark: Restored Switchboard's routing: *${number}* routes to no agent again, as recorded; it answers no calls until it is assigned.`;
  const facts = [`Verified at ${label} after writing.`];
  if (change.isProduction) facts.push(":rotating_light: production number");
  const blocks = [section(text), context(...facts)];
  if (change.newAgent) blocks.push(actions(`restored:${change.numberId}`, testCallButton(change.numberId)));
  return message(text.replace(/\*/g, ""), blocks);
}

/** As any change's outcome, except that a restore says the number routes as recorded again. */
export function repairOutcomeMessage(outcome: ChangeOutcome): SlackMessage | null {
  if (outcome.outcome === "applied" && outcome.change.kind === "restore")
    return restoredMessage(outcome.change);
  return changeOutcomeMessage(outcome);
}

/** Keep provider's: what Switchboard now records (nothing changed at the provider). */
export function keptMessage(kept: {
  outcome: "adopted" | "in_sync";
  e164: string;
  agentName?: string | null;
}): SlackMessage {
  return message(
    kept.outcome === "in_sync"
      ? `${kept.e164} already routes as Switchboard records it: nothing to adopt.`
      : `:white_check_mark: Kept the provider's routing: Switchboard now records ${kept.e164} as ${kept.agentName ? `on *${esc(kept.agentName)}*` : "unassigned"}. Nothing changed at the provider.`,
  );
}
