// /assign-number [number] [agent] — every form of design.md §3: a modal (empty, or with the number
// fixed), or a direct change by agent name or provider id (ambiguous → the modal).
import { ASSIGN_HELP, parseAssignCommand } from "../../../domain/commandGrammar";
import { type CommandArgs, onCommand, userMessageFor } from "../../surfaces";
import { agentChoiceHint, assignModal, resultModal } from "../../views/assignModal";
import { esc, section } from "../../views/blocks";
import { changeOutcomeMessage, errorMessage } from "../../views/changeMessages";
import type { ListenerDeps } from "../deps";

export function assignNumberCommand(deps: ListenerDeps) {
  const { services, logger } = deps;
  return onCommand(logger, async ({ command, ack, client }: CommandArgs, reply) => {
    const parsed = parseAssignCommand(command.text, deps.defaultRegion);
    if (parsed.kind === "help") return void (await ack({ response_type: "ephemeral", text: ASSIGN_HELP }));
    if (parsed.kind === "invalid") return void (await ack(errorMessage(parsed.message)));
    await ack();
    // Nobody is shown a form they cannot submit: a refusal (why, and who can) comes first.
    if (parsed.kind !== "number_and_agent")
      await services.assignment.requireAccess(command.user_id, "assign", "slash_command");

    if (parsed.kind === "modal") {
      await client.views.open({ trigger_id: command.trigger_id, view: assignModal({}) });
      return;
    }
    if (parsed.kind === "number") {
      // trigger_id lives 3 s: open first, then fill in after the lookup.
      const opened = await client.views.open({
        trigger_id: command.trigger_id,
        view: resultModal("Assign number", [section(":hourglass_flowing_sand: Looking up the number…")]),
      });
      const viewId = opened.view?.id;
      if (!viewId) return;
      const view = await services.inventory
        .numberChoice(parsed.e164)
        .then((number) => assignModal({ fixedNumber: true }, number))
        .catch((error: unknown) =>
          resultModal("Assign number", [section(`:warning: ${esc(userMessageFor(error, logger))}`)]),
        );
      await client.views.update({ view_id: viewId, view });
      return;
    }

    const outcome = await services.assignment.requestTyped({
      actor: command.user_id,
      source: "slash_command",
      e164: parsed.e164,
      agentQuery: parsed.agentQuery,
      requestKey: `command:${command.trigger_id}`,
    });
    if (outcome.outcome === "ambiguous") {
      const view = assignModal({ fixedNumber: true }, outcome.number);
      view.blocks.push(agentChoiceHint(parsed.agentQuery, outcome.candidates));
      await client.views.open({ trigger_id: command.trigger_id, view });
      return;
    }
    const message = changeOutcomeMessage(outcome);
    if (message) await reply(message);
  });
}
