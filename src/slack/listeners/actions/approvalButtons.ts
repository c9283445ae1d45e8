// Approve / Reject / Approve anyway (approval channel) and Cancel request (requester).
// Refusals (not an approver, own request…) are told privately and leave the buttons live.
import type { BlockButtonAction } from "@slack/bolt";
import { type ActionArgs, onButton } from "../../surfaces";
import type { ListenerDeps } from "../deps";

type Args = ActionArgs<BlockButtonAction>;

export function approvalDecisionButton(deps: ListenerDeps, action: "approve" | "reject", override = false) {
  return onButton(deps.logger, "ephemeral", async ({ body, action: button }: Args, reply) => {
    const result = await deps.services.approvals.decide(button.value ?? "", body.user.id, action, override);
    if (result.result === "refused") await reply({ text: `:no_entry: ${result.reason}` });
  });
}

export function cancelApprovalButton(deps: ListenerDeps) {
  return onButton(deps.logger, "beside", async ({ body, action, respond }: Args, reply) => {
    const { cancelled, text } = await deps.services.approvals.cancel(action.value ?? "", body.user.id);
    // Only a successful cancel replaces the request message; a refusal is added beside it.
    if (cancelled) await respond({ replace_original: true, text });
    else await reply({ text: `:no_entry: ${text}` });
  });
}
