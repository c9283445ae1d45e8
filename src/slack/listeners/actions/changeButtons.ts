// Confirm / Cancel on a proposed reassignment or unassignment, and Replace on an agent at its limit
// (ephemeral message buttons): the message becomes the result.
import type { BlockButtonAction } from "@slack/bolt";
import { parseChangeValue, parseReplaceValue } from "../../buttonValues";
import { type ActionArgs, onButton } from "../../surfaces";
import {
  cancelledMessage,
  changeOutcomeMessage,
  errorMessage,
  workingMessage,
} from "../../views/changeMessages";
import type { ListenerDeps } from "../deps";

type Args = ActionArgs<BlockButtonAction>;

export function confirmChangeButton(deps: ListenerDeps) {
  return onButton(deps.logger, "replace", async ({ body, action }: Args, reply) => {
    const value = parseChangeValue(action.value);
    if (!value.success) return reply(errorMessage("That button is malformed; nothing was changed."));
    await reply(workingMessage("Applying the change at the provider…"));
    const outcome = await deps.services.assignment.requestChange({
      actor: body.user.id,
      source: "button",
      numberId: value.data.n,
      targetAgentId: value.data.a,
      expectedVersion: value.data.v,
      confirmed: true,
      requestKey: `action:${body.trigger_id}`,
    });
    const message = changeOutcomeMessage(outcome);
    if (message) await reply(message);
  });
}

export function cancelChangeButton(deps: ListenerDeps) {
  return onButton(deps.logger, "replace", async (_args: Args, reply) => {
    await reply(cancelledMessage());
  });
}

/** Replace: unassign the agent's current number, then assign the new one (one service call). */
export function replaceButton(deps: ListenerDeps) {
  return onButton(deps.logger, "replace", async ({ body, action }: Args, reply) => {
    const value = parseReplaceValue(action.value);
    if (!value.success) return reply(errorMessage("That button is malformed; nothing was changed."));
    await reply(workingMessage("Unassigning the agent's current number, then assigning the new one…"));
    const outcome = await deps.services.assignment.replace({
      actor: body.user.id,
      source: "button",
      numberId: value.data.n,
      targetAgentId: value.data.a,
      expectedVersion: value.data.v,
      heldNumberId: value.data.h,
      heldVersion: value.data.hv,
      requestKey: `action:${body.trigger_id}`,
    });
    const message = changeOutcomeMessage(outcome);
    if (message) await reply(message);
  });
}
