// The keep-one modal (a number split between several agents): keep the picked agent, remove the
// others at the provider (a normal, verified change), and show the result in the modal.
import { parseNumberMetadata } from "../../buttonValues";
import { onSubmission } from "../../surfaces";
import { resultModal } from "../../views/assignModal";
import { errorMessage, workingMessage } from "../../views/changeMessages";
import { KEEP_ONE_BLOCK, KEEP_ONE_PICK, repairOutcomeMessage } from "../../views/driftViews";
import type { ListenerDeps } from "../deps";

const TITLE = "Keep one agent";

export function keepOneSubmission(deps: ListenerDeps) {
  return onSubmission(deps.logger, { fields: () => ({}), title: TITLE }, async ({ body, view }, modal) => {
    const agentId = view.state.values[KEEP_ONE_BLOCK]?.[KEEP_ONE_PICK]?.selected_option?.value;
    const meta = parseNumberMetadata(view.private_metadata);
    if (!meta.success)
      return modal.update(
        resultModal("Not changed", errorMessage("This form is malformed; nothing was changed.").blocks),
      );
    if (!agentId) return modal.fieldError(KEEP_ONE_BLOCK, "Pick the agent to keep.");
    await modal.update(
      resultModal(TITLE, workingMessage("Removing the other agents at the provider…").blocks),
    );
    const outcome = await deps.services.driftRepair.keepOne(meta.data.numberId, agentId, body.user.id);
    await modal.result(TITLE, repairOutcomeMessage(outcome)?.blocks ?? []);
  });
}
