// Typeahead for the number and agent selects: only compatible choices (R4), and for an agent
// only free numbers (R5). Answers within Slack's 3 s from the database alone.
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import { PROVIDER_LABEL } from "../../../domain/providers";
import { agentOptionText, groupByProvider, numberOptionText, UNASSIGN_MODAL } from "../../views/assignModal";
import { plain } from "../../views/blocks";
import type { ListenerDeps } from "../deps";
import { currentSelection } from "../modalState";

type Args = SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs;

const option = (text: string, value: string) => ({ text: plain(text), value });

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
    await ack({ options: numbers.map((n) => option(numberOptionText(n), n.id)) });
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
      const agents = await inventory.agentsForNumber({ provider }, query);
      await ack({ options: agents.map((a) => option(agentOptionText(a), a.id)) });
      return;
    }
    const groups = groupByProvider(await inventory.agentsForPicker(query));
    await ack({
      option_groups: [...groups].map(([group, agents]) => ({
        label: plain(PROVIDER_LABEL[group]),
        options: agents.map((a) => option(agentOptionText(a), a.id)),
      })),
    });
  };
}
