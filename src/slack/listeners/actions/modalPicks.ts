// Picking a number or an agent in the assign modal refreshes it at once: the other list is then
// filtered to compatible choices and the modal says what the change would do.
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { currentSelection } from "../../modalState";
import { assignModal } from "../../views/assignModal";
import type { ListenerDeps } from "../deps";

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export function assignModalPick(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const selection = currentSelection(view);
    const { number, agent } = await deps.services.inventory.choices(selection.numberId, selection.agentId);
    // The hash makes a stale refresh lose against a newer one instead of overwriting it.
    await client.views
      .update({ view_id: view.id, hash: view.hash, view: assignModal(selection, number, agent) })
      .catch((error: { data?: { error?: string } }) => {
        if (error.data?.error !== "hash_conflict") throw error;
      });
  };
}
