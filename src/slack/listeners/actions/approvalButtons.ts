// Approve / Reject / Approve anyway (approval channel) and Cancel request (requester).
// Refusals (not an approver, own request…) are told privately and leave the buttons live.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { userMessageFor } from "../../errors";
import type { ListenerDeps } from "../deps";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function approvalDecisionButton(deps: ListenerDeps, action: "approve" | "reject", override = false) {
  return async ({ ack, body, action: button, client }: Args): Promise<void> => {
    await ack();
    const tellClicker = (text: string) =>
      body.channel?.id
        ? client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text })
        : client.chat.postMessage({ channel: body.user.id, text });
    try {
      const result = await deps.services.approvals.decide(button.value ?? "", body.user.id, action, override);
      if (result.result === "refused") await tellClicker(`:no_entry: ${result.reason}`);
    } catch (error) {
      await tellClicker(`:warning: ${userMessageFor(error, deps.logger)}`);
    }
  };
}

export function cancelApprovalButton(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    try {
      const { cancelled, text } = await deps.services.approvals.cancel(action.value ?? "", body.user.id);
      // Only a successful cancel replaces the request message; a refusal is added beside it.
      await respond({ replace_original: cancelled, text: cancelled ? text : `:no_entry: ${text}` });
    } catch (error) {
      await respond({ replace_original: false, text: `:warning: ${userMessageFor(error, deps.logger)}` });
    }
  };
}
