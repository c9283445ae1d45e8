// /unassign-number [number]: confirm (the number stays in the account, answering no calls);
// production numbers go to approval. Without a number: a modal of assigned numbers.
import { parseUnassignCommand, UNASSIGN_HELP } from "../../../domain/commandGrammar";
import { type CommandArgs, onCommand } from "../../surfaces";
import { unassignModal } from "../../views/assignModal";
import { changeOutcomeMessage, errorMessage } from "../../views/changeMessages";
import type { ListenerDeps } from "../deps";

export function unassignNumberCommand(deps: ListenerDeps) {
  const { services, logger } = deps;
  return onCommand(logger, async ({ command, ack, client }: CommandArgs, reply) => {
    const parsed = parseUnassignCommand(command.text, deps.defaultRegion);
    if (parsed.kind === "help") return void (await ack({ response_type: "ephemeral", text: UNASSIGN_HELP }));
    if (parsed.kind === "invalid") return void (await ack(errorMessage(parsed.message)));
    await ack();
    if (parsed.kind === "modal") {
      // Nobody is shown a form they cannot submit: a refusal (why, and who can) comes first.
      await services.assignment.requireAccess(command.user_id, "unassign", "slash_command");
      await client.views.open({ trigger_id: command.trigger_id, view: unassignModal() });
      return;
    }
    const outcome = await services.assignment.requestTyped({
      actor: command.user_id,
      source: "slash_command",
      e164: parsed.e164,
      agentQuery: null,
      requestKey: `command:${command.trigger_id}`,
    });
    if (outcome.outcome === "ambiguous") return; // only a typed agent name can be ambiguous
    const message = changeOutcomeMessage(outcome);
    if (message) await reply(message);
  });
}
