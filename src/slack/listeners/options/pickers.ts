// Typeahead for the number and agent selects: only compatible choices (R4), and for an agent
// only free numbers (R5). Answers within Slack's 3 s from the database alone.
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import { currentSelection } from "../../modalState";
import {
  agentOptionGroups,
  agentOptions as agentOptionList,
  numberOptions as numberOptionList,
  UNASSIGN_MODAL,
} from "../../views/assignModal";
import type { ListenerDeps } from "../deps";

type Args = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;

export function numberOptions(deps: ListenerDeps) {
  return async ({ ack, body }: Args): Promise<void> => {
    const { inventory } = deps.services;
    const query = (body.value ?? "").slice(0, 100);
    const view = body.view;
    const selection = currentSelection(view);
    const provider = selection.agentId ? await inventory.providerOf("agent", selection.agentId) : undefined;
    const numbers =
      view?.callback_id === UNASSIGN_MODAL
        ? await inventory.numbersForPicker(query, "assigned")
        : provider
          ? await inventory.freeNumbersForAgent({ provider }, query)
          : await inventory.numbersForPicker(query);
    await ack({ options: numberOptionList(numbers) });
  };
}

export function agentOptions(deps: ListenerDeps) {
  return async ({ ack, body }: Args): Promise<void> => {
    const { inventory } = deps.services;
    const query = (body.value ?? "").slice(0, 100);
    const selection = currentSelection(body.view);
    const provider = selection.numberId
      ? await inventory.providerOf("number", selection.numberId)
      : undefined;
    if (provider) {
      await ack({ options: agentOptionList(await inventory.agentsForNumber({ provider }, query)) });
      return;
    }
    await ack({ option_groups: agentOptionGroups(await inventory.agentsForPicker(query)) });
  };
}
