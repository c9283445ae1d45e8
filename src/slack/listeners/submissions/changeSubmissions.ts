// Submissions of the assign, unassign and confirm modals. The rules decide once, before the ack
// (database only, fast), so a refusal shows under the right field; the service then acts on that
// decision after the ack (provider write, or the approval request), and the modal shows the result.
import type { ChangeRequest } from "../../../services/assignment";
import { parseChangeValue } from "../../buttonValues";
import { currentSelection } from "../../modalState";
import { onSubmission, type Submission, type SubmissionArgs } from "../../surfaces";
import { AGENT_BLOCK, confirmModal, NUMBER_BLOCK, resultModal } from "../../views/assignModal";
import { section } from "../../views/blocks";
import {
  changeOutcomeMessage,
  confirmChangeMessage,
  encodeChange,
  workingMessage,
} from "../../views/changeMessages";
import type { ListenerDeps } from "../deps";

export const CONFIRM_MODAL = "confirm_change";

/** Errors before the ack go under the agent, or the number when the modal lets the user pick it. */
const changeFields = (args: SubmissionArgs) => {
  const numberBlock = currentSelection(args.view).fixedNumber ? undefined : NUMBER_BLOCK;
  return { agent: AGENT_BLOCK, number: numberBlock, other: numberBlock };
};

export function assignSubmission(deps: ListenerDeps) {
  return onSubmission(deps.logger, { fields: changeFields, title: "Done" }, async (args, modal) => {
    const selection = currentSelection(args.view);
    const errors: Record<string, string> = {};
    if (!selection.numberId) errors[NUMBER_BLOCK] = "Pick a number.";
    if (!selection.agentId) errors[AGENT_BLOCK] = "Pick an agent.";
    if (Object.keys(errors).length) return void (await args.ack({ response_action: "errors", errors }));
    await submitChange(deps, args, modal, {
      actor: args.body.user.id,
      source: "modal",
      numberId: selection.numberId!,
      targetAgentId: selection.agentId!,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
  });
}

export function unassignSubmission(deps: ListenerDeps) {
  return onSubmission(deps.logger, { fields: changeFields, title: "Done" }, async (args, modal) => {
    const numberId = currentSelection(args.view).numberId;
    if (!numberId) return modal.fieldError(NUMBER_BLOCK, "Pick a number.");
    await submitChange(deps, args, modal, {
      actor: args.body.user.id,
      source: "modal",
      numberId,
      targetAgentId: null,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
  });
}

/** The confirm modal carries the planned change; submitting it applies it. */
export function confirmSubmission(deps: ListenerDeps) {
  return onSubmission(deps.logger, { fields: () => ({}), title: "Done" }, async (args, modal) => {
    const value = parseChangeValue(args.view.private_metadata);
    if (!value.success) {
      return modal.update(
        resultModal("Not changed", [
          section(":warning: This confirmation is malformed; nothing was changed."),
        ]),
      );
    }
    await modal.update(workingModal());
    const outcome = await deps.services.assignment.requestChange({
      actor: args.body.user.id,
      source: "modal",
      numberId: value.data.n,
      targetAgentId: value.data.a,
      expectedVersion: value.data.v,
      confirmed: true,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
    const message = changeOutcomeMessage(outcome);
    if (message) await modal.result("Done", message.blocks);
  });
}

async function submitChange(
  deps: ListenerDeps,
  args: SubmissionArgs,
  modal: Submission,
  request: ChangeRequest,
): Promise<void> {
  const { assignment } = deps.services;
  const decided = await assignment.decide(request);
  if (decided.outcome === "noop") return modal.fieldError(AGENT_BLOCK, decided.reason);
  if (decided.outcome === "confirm") {
    const blocks = confirmChangeMessage(decided.kind, decided.plan, decided.reason).blocks.filter(
      (b) => b.type !== "actions",
    );
    return modal.update(
      confirmModal(
        CONFIRM_MODAL,
        encodeChange(decided.plan),
        blocks,
        decided.kind === "reassign" ? "Reassign" : "Unassign",
      ),
    );
  }
  await modal.update(workingModal());
  const outcome = await assignment.proceed(decided);
  const message = changeOutcomeMessage(outcome);
  if (!message) return;
  if (outcome.outcome === "approval") {
    // Modals have no response_url: the Cancel button goes to the requester's DM, the modal just reports.
    await args.client.chat.postMessage({ channel: request.actor, ...message }).catch(() => undefined);
    return modal.result(
      "Approval needed",
      message.blocks.filter((b) => b.type !== "actions"),
    );
  }
  await modal.result("Done", message.blocks);
}

function workingModal() {
  return resultModal(
    "Working…",
    workingMessage("Applying the change at the provider and reading it back…").blocks,
  );
}
