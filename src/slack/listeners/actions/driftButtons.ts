// Restore / Keep provider's, on drift alerts and status answers: the answer goes privately beside
// the message (or to the app's DM). A weighted split opens the keep-one modal instead.
import type { BlockAction, BlockButtonAction } from "@slack/bolt";
import { type ActionArgs, onButton, type Reply } from "../../surfaces";
import { workingMessage } from "../../views/changeMessages";
import { keepOneModal, keptMessage, repairOutcomeMessage } from "../../views/driftViews";
import type { ListenerDeps } from "../deps";

export async function restore(deps: ListenerDeps, numberId: string, userId: string, reply: Reply) {
  await reply(workingMessage("Restoring Switchboard's routing at the provider…"));
  const message = repairOutcomeMessage(await deps.services.driftRepair.restore(numberId, userId));
  if (message) await reply(message);
}

export async function keepProviders<A extends BlockAction>(
  deps: ListenerDeps,
  numberId: string,
  { body, client }: ActionArgs<A>,
  reply: Reply,
) {
  const kept = await deps.services.driftRepair.keepProviders(numberId, body.user.id);
  if (kept.outcome === "choose") {
    await client.views.open({
      trigger_id: body.trigger_id,
      view: keepOneModal(kept.numberId, kept.e164, kept.candidates),
    });
    return;
  }
  await reply(keptMessage(kept));
}

export function restoreButton(deps: ListenerDeps) {
  return onButton(deps.logger, "beside", async ({ action, body }: ActionArgs<BlockButtonAction>, reply) => {
    await restore(deps, action.value ?? "", body.user.id, reply);
  });
}

export function keepProvidersButton(deps: ListenerDeps) {
  return onButton(deps.logger, "beside", async (args: ActionArgs<BlockButtonAction>, reply) => {
    await keepProviders(deps, args.action.value ?? "", args, reply);
  });
}
