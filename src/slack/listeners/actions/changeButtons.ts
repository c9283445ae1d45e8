// Confirm / Cancel on a proposed reassignment or unassignment (ephemeral message buttons).
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { userMessageFor } from "../../errors";
import { cancelledMessage, errorMessage, workingMessage } from "../../views/changeMessages";
import { changeAndDescribe, messageForOutcome } from "../changeFlow";
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

const replaceValueSchema = changeValueSchema.extend({
  a: z.string().min(1).max(64),
  h: z.string().min(1).max(64),
  hv: z.number().int().min(0),
});

/** Replace: unassign the agent's current number, then assign the new one — each through the normal path. */
export function replaceButton(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    let value: z.infer<typeof replaceValueSchema>;
    try {
      value = replaceValueSchema.parse(JSON.parse(action.value ?? ""));
    } catch {
      await respond({
        replace_original: true,
        ...errorMessage("That button is malformed; nothing was changed."),
      });
      return;
    }
    await respond({
      replace_original: true,
      ...workingMessage("Unassigning the agent's current number, then assigning the new one…"),
    });
    const base = { actor: body.user.id, source: "button" as const, confirmed: true };
    try {
      const first = await deps.services.assignment.requestChange({
        ...base,
        numberId: value.h,
        targetAgentId: null,
        expectedVersion: value.hv,
        requestKey: `action:${body.trigger_id}:release`,
      });
      if (first.outcome !== "applied") {
        const reply = await messageForOutcome(deps, first, base);
        if (reply) await respond({ replace_original: true, ...reply });
        return;
      }
    } catch (error) {
      await respond({ replace_original: true, ...errorMessage(userMessageFor(error, deps.logger)) });
      return;
    }
    const reply = await changeAndDescribe(deps, {
      ...base,
      numberId: value.n,
      targetAgentId: value.a,
      expectedVersion: value.v,
      requestKey: `action:${body.trigger_id}`,
    });
    if (reply) await respond({ replace_original: true, ...reply });
  };
}
