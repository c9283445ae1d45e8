// Restore / Keep provider's on drift alerts and status answers, and the keep-one modal.
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { z } from "zod";
import type { ChangeOutcome } from "../../services/assignment";
import { userMessageFor } from "../errors";
import { resultModal } from "../views/assignModal";
import type { SlackMessage } from "../views/blocks";
import { esc } from "../views/blocks";
import { errorMessage, workingMessage } from "../views/changeMessages";
import { KEEP_ONE_BLOCK, KEEP_ONE_PICK, keepOneModal, restoredMessage } from "../views/driftViews";
import { messageForOutcome } from "./changeFlow";
import type { ListenerDeps } from "./deps";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Replies privately to the person who clicked, wherever the button was. */
export function replier({
  body,
  respond,
  client,
}: {
  body: { response_url?: string; user: { id: string } };
  respond: ButtonArgs["respond"];
  client: ButtonArgs["client"];
}) {
  return async (reply: { text: string; blocks?: unknown[] }) => {
    if (body.response_url) {
      await respond({ response_type: "ephemeral", replace_original: false, ...(reply as { text: string }) });
    } else {
      await client.chat.postMessage({ channel: body.user.id, ...(reply as { text: string }) });
    }
  };
}

type Reply = (reply: { text: string; blocks?: unknown[] }) => Promise<void>;

/** As any change's outcome, except that a restore says the number routes as recorded again. */
function repairMessage(
  deps: ListenerDeps,
  outcome: ChangeOutcome,
  userId: string,
): Promise<SlackMessage | null> {
  if (outcome.outcome === "applied" && outcome.change.kind === "restore")
    return Promise.resolve(restoredMessage(outcome.change));
  return messageForOutcome(deps, outcome, { actor: userId, source: "button" });
}

export async function runRestore(
  deps: ListenerDeps,
  numberId: string,
  userId: string,
  reply: Reply,
): Promise<void> {
  try {
    await reply(workingMessage("Restoring Switchboard's routing at the provider…"));
    const outcome = await deps.services.driftRepair.restore(numberId, userId);
    const message = await repairMessage(deps, outcome, userId);
    if (message) await reply(message);
  } catch (error) {
    await reply(errorMessage(userMessageFor(error, deps.logger)));
  }
}

export async function runKeepProviders(
  deps: ListenerDeps,
  numberId: string,
  userId: string,
  open: (view: ReturnType<typeof keepOneModal>) => Promise<unknown>,
  reply: Reply,
): Promise<void> {
  try {
    const kept = await deps.services.driftRepair.keepProviders(numberId, userId);
    if (kept.outcome === "choose") {
      await open(keepOneModal(numberId, kept.e164, kept.candidates));
      return;
    }
    const text =
      kept.outcome === "in_sync"
        ? `${kept.e164} already routes as Switchboard records it: nothing to adopt.`
        : `:white_check_mark: Kept the provider's routing: Switchboard now records ${kept.e164} as ${kept.agentName ? `on *${esc(kept.agentName)}*` : "unassigned"}. Nothing changed at the provider.`;
    await reply({ text });
  } catch (error) {
    await reply(errorMessage(userMessageFor(error, deps.logger)));
  }
}

export function restoreButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    await runRestore(deps, args.action.value ?? "", args.body.user.id, replier(args));
  };
}

export function keepProvidersButton(deps: ListenerDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const open = (view: ReturnType<typeof keepOneModal>) =>
      args.client.views.open({ trigger_id: args.body.trigger_id, view });
    await runKeepProviders(deps, args.action.value ?? "", args.body.user.id, open, replier(args));
  };
}

export function keepOneSubmission(deps: ListenerDeps) {
  return async ({
    ack,
    body,
    view,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const agentId = view.state.values[KEEP_ONE_BLOCK]?.[KEEP_ONE_PICK]?.selected_option?.value;
    let numberId = "";
    try {
      numberId = z
        .object({ numberId: z.string().min(1).max(64) })
        .parse(JSON.parse(view.private_metadata || "{}")).numberId;
    } catch {
      return void (await ack({
        response_action: "update",
        view: resultModal("Not changed", errorMessage("This form is malformed; nothing was changed.").blocks),
      }));
    }
    if (!agentId)
      return void (await ack({
        response_action: "errors",
        errors: { [KEEP_ONE_BLOCK]: "Pick the agent to keep." },
      }));
    await ack({
      response_action: "update",
      view: resultModal(
        "Keep one agent",
        workingMessage("Removing the other agents at the provider…").blocks,
      ),
    });
    let blocks: Parameters<typeof resultModal>[1];
    try {
      const outcome = await deps.services.driftRepair.keepOne(numberId, agentId, body.user.id);
      blocks = (await repairMessage(deps, outcome, body.user.id))?.blocks ?? [];
    } catch (error) {
      blocks = errorMessage(userMessageFor(error, deps.logger)).blocks;
    }
    await client.views.update({ view_id: view.id, view: resultModal("Keep one agent", blocks) });
  };
}
