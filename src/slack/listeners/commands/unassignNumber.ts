// /unassign-number [number]: confirm (the number stays in the account, answering no calls);
// production numbers go to approval. Without a number: a modal of assigned numbers.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseUnassignCommand, UNASSIGN_HELP } from "../../../domain/commandGrammar";
import { userMessageFor } from "../../errors";
import { unassignModal } from "../../views/assignModal";
import { errorMessage } from "../../views/changeMessages";
import { changeAndDescribe } from "../changeFlow";
import type { ListenerDeps } from "../deps";

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function unassignNumberCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const parsed = parseUnassignCommand(command.text, deps.config.defaultRegion);
    if (parsed.kind === "help") return void (await ack({ response_type: "ephemeral", text: UNASSIGN_HELP }));
    if (parsed.kind === "invalid") return void (await ack(errorMessage(parsed.message)));
    await ack();
    if (parsed.kind === "modal") {
      await client.views.open({ trigger_id: command.trigger_id, view: unassignModal() });
      return;
    }
    try {
      const number = await deps.services.inventory.numberByE164(parsed.e164);
      const reply = await changeAndDescribe(deps, {
        actor: command.user_id,
        source: "slash_command",
        numberId: number.id,
        targetAgentId: null,
        requestKey: `command:${command.trigger_id}`,
      });
      if (reply) await respond({ response_type: "ephemeral", ...reply });
    } catch (error) {
      await respond({ response_type: "ephemeral", ...errorMessage(userMessageFor(error, deps.logger)) });
    }
  };
}
