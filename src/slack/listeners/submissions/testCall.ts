// The test call modal's submission: the destination is read before the ack (an error shows under
// the field), then the service refuses with the fix named or places the call; the modal shows which.
import { parseNumberMetadata } from "../../buttonValues";
import { onSubmission } from "../../surfaces";
import { resultModal } from "../../views/assignModal";
import { section } from "../../views/blocks";
import { errorMessage, workingMessage } from "../../views/changeMessages";
import { DESTINATION_BLOCK, DESTINATION_INPUT, testCallMessage } from "../../views/testCallViews";
import type { ListenerDeps } from "../deps";

const TITLE = "Test call";

export function testCallSubmission(deps: ListenerDeps) {
  const fields = () => ({ destination: DESTINATION_BLOCK });
  return onSubmission(deps.logger, { fields, title: TITLE }, async ({ body, view }, modal) => {
    const { testCalls } = deps.services;
    const meta = parseNumberMetadata(view.private_metadata);
    if (!meta.success)
      return modal.update(
        resultModal(TITLE, errorMessage("This form is malformed; nothing was called.").blocks),
      );
    const input = view.state.values[DESTINATION_BLOCK]?.[DESTINATION_INPUT]?.value ?? "";
    testCalls.parseDestination(input);
    await modal.update(
      resultModal(TITLE, workingMessage("Checking the number and its agent, then placing the call…").blocks),
    );
    const card = await testCalls.place({
      numberId: meta.data.numberId,
      destination: input,
      requesterId: body.user.id,
      source: "modal",
    });
    await modal.result(TITLE, [
      ...testCallMessage(card).blocks,
      section("Progress is updated in your DM with Switchboard."),
    ]);
  });
}
