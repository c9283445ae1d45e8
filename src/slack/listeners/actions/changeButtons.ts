// Confirm / Cancel on a proposed reassignment or unassignment (ephemeral message buttons).
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { cancelledMessage, errorMessage, workingMessage } from "../../views/changeMessages";
import { changeAndDescribe } from "../changeFlow";
import type { ListenerDeps } from "../deps";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Button values come back from the client: never trusted, always re-validated by the service. */
export const changeValueSchema = z.object({
  n: z.string().min(1).max(64),
  a: z.string().min(1).max(64).nullable(),
  v: z.number().int().min(0),
});

export function parseChangeValue(raw: string | undefined) {
  try {
    return changeValueSchema.safeParse(JSON.parse(raw ?? ""));
  } catch {
    return changeValueSchema.safeParse(undefined);
  }
}

export function confirmChangeButton(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const value = parseChangeValue(action.value);
    if (!value.success) {
      await respond({
        replace_original: true,
        ...errorMessage("That button is malformed; nothing was changed."),
      });
      return;
    }
    await respond({ replace_original: true, ...workingMessage("Applying the change at the provider…") });
    const reply = await changeAndDescribe(deps, {
      actor: body.user.id,
      source: "button",
      numberId: value.data.n,
      targetAgentId: value.data.a,
      expectedVersion: value.data.v,
      confirmed: true,
      requestKey: `action:${body.trigger_id}`,
    });
    if (reply) await respond({ replace_original: true, ...reply });
  };
}

export function cancelChangeButton() {
  return async ({ ack, respond }: Args): Promise<void> => {
    await ack();
    await respond({ replace_original: true, ...cancelledMessage() });
  };
}
