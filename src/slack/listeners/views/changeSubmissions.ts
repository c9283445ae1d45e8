// Submissions of the assign, unassign and confirm modals. The rules are decided before the ack
// (database only, fast) so a refusal shows under the right field; the provider write happens
// after the ack, and the modal is updated with the verified result.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { ChangeRequest } from "../../../services/assignment";
import { fieldOf, userMessageFor } from "../../errors";
import { AGENT_BLOCK, confirmModal, NUMBER_BLOCK, resultModal } from "../../views/assignModal";
import { section } from "../../views/blocks";
import { encodeChange, errorMessage, workingMessage } from "../../views/changeMessages";
import { parseChangeValue } from "../actions/changeButtons";
import { changeAndDescribe, messageForOutcome } from "../changeFlow";
import type { ListenerDeps } from "../deps";
import { currentSelection } from "../modalState";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export const CONFIRM_MODAL = "confirm_change";

export function assignSubmission(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const selection = currentSelection(args.view);
    const errors: Record<string, string> = {};
    if (!selection.numberId) errors[NUMBER_BLOCK] = "Pick a number.";
    if (!selection.agentId) errors[AGENT_BLOCK] = "Pick an agent.";
    if (Object.keys(errors).length) return void (await args.ack({ response_action: "errors", errors }));
    await submitChange(deps, args, {
      actor: args.body.user.id,
      source: "modal",
      numberId: selection.numberId!,
      targetAgentId: selection.agentId!,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
  };
}

export function unassignSubmission(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const numberId = currentSelection(args.view).numberId;
    if (!numberId)
      return void (await args.ack({
        response_action: "errors",
        errors: { [NUMBER_BLOCK]: "Pick a number." },
      }));
    await submitChange(deps, args, {
      actor: args.body.user.id,
      source: "modal",
      numberId,
      targetAgentId: null,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
  };
}

/** The confirm modal carries the planned change; submitting it applies it. */
export function confirmSubmission(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const value = parseChangeValue(args.view.private_metadata);
    if (!value.success) {
      return void (await args.ack({
        response_action: "update",
        view: resultModal("Not changed", [
          section(":warning: This confirmation is malformed; nothing was changed."),
        ]),
      }));
    }
    await args.ack({ response_action: "update", view: workingModal() });
    const reply = await changeAndDescribe(deps, {
      actor: args.body.user.id,
      source: "modal",
      numberId: value.data.n,
      targetAgentId: value.data.a,
      expectedVersion: value.data.v,
      confirmed: true,
      requestKey: `view:${args.body.view.id}:${args.body.view.hash}`,
    });
    if (reply) await updateRoot(args, "Done", reply.blocks);
  };
}

async function submitChange(deps: ListenerDeps, args: Args, request: ChangeRequest): Promise<void> {
  const { assignment } = deps.services;
  let preview: Awaited<ReturnType<typeof assignment.preview>>;
  try {
    preview = await assignment.preview(request);
  } catch (error) {
    const field = fieldOf(error) === "agent" ? AGENT_BLOCK : NUMBER_BLOCK;
    const hasField = field === AGENT_BLOCK || !currentSelection(args.view).fixedNumber;
    const text = userMessageFor(error, deps.logger);
    if (hasField)
      return void (await args.ack({ response_action: "errors", errors: { [field]: text.slice(0, 2000) } }));
    return void (await args.ack({
      response_action: "update",
      view: resultModal("Not changed", errorMessage(text).blocks),
    }));
  }
  if (preview.outcome === "noop") {
    return void (await args.ack({ response_action: "errors", errors: { [AGENT_BLOCK]: preview.reason } }));
  }
  if (preview.outcome === "confirm") {
    const message = await messageForOutcome(deps, preview, request);
    const blocks = (message?.blocks ?? []).filter((b) => b.type !== "actions");
    return void (await args.ack({
      response_action: "update",
      view: confirmModal(
        CONFIRM_MODAL,
        encodeChange(preview.plan),
        blocks,
        preview.kind === "reassign" ? "Reassign" : "Unassign",
      ),
    }));
  }
  await args.ack({ response_action: "update", view: workingModal() });
  if (preview.outcome === "approval") {
    let blocks: Awaited<ReturnType<typeof messageForOutcome>>;
    try {
      blocks = await messageForOutcome(deps, preview, request);
    } catch (error) {
      blocks = errorMessage(userMessageFor(error, deps.logger));
    }
    if (!blocks) return;
    // Modals have no response_url: the Cancel button goes to the requester's DM, the modal just reports.
    await args.client.chat.postMessage({ channel: request.actor, ...blocks }).catch(() => undefined);
    await updateRoot(
      args,
      "Approval needed",
      blocks.blocks.filter((b) => b.type !== "actions"),
    );
    return;
  }
  const reply = await changeAndDescribe(deps, request);
  if (reply) await updateRoot(args, "Done", reply.blocks);
}

function workingModal() {
  return resultModal(
    "Working…",
    workingMessage("Applying the change at the provider and reading it back…").blocks,
  );
}

async function updateRoot(
  args: Args,
  title: string,
  blocks: Parameters<typeof resultModal>[1],
): Promise<void> {
  await args.client.views.update({
    view_id: args.body.view.root_view_id ?? args.body.view.id,
    view: resultModal(title, blocks),
  });
}
