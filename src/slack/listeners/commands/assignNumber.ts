// /assign-number [number] [agent] — every form of design.md §3.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { ASSIGN_HELP, parseAssignCommand } from "../../../domain/commandGrammar";
import { userMessageFor } from "../../errors";
import { assignModal, resultModal } from "../../views/assignModal";
import { context, esc, section } from "../../views/blocks";
import { errorMessage } from "../../views/changeMessages";
import { changeAndDescribe } from "../changeFlow";
import type { ListenerDeps } from "../deps";

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function assignNumberCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const parsed = parseAssignCommand(command.text, deps.config.defaultRegion);
    if (parsed.kind === "help") return void (await ack({ response_type: "ephemeral", text: ASSIGN_HELP }));
    if (parsed.kind === "invalid") return void (await ack(errorMessage(parsed.message)));
    await ack();

    if (parsed.kind === "modal") {
      await client.views.open({ trigger_id: command.trigger_id, view: assignModal({}) });
      return;
    }
    const { inventory } = deps.services;
    if (parsed.kind === "number") {
      // trigger_id lives 3 s: open first, then fill in after the lookup.
      const opened = await client.views.open({
        trigger_id: command.trigger_id,
        view: resultModal("Assign number", [section(":hourglass_flowing_sand: Looking up the number…")]),
      });
      const viewId = opened.view?.id;
      if (!viewId) return;
      try {
        const number = await inventory.numberByE164(parsed.e164);
        await client.views.update({ view_id: viewId, view: assignModal({ fixedNumber: true }, number) });
      } catch (error) {
        await client.views.update({
          view_id: viewId,
          view: resultModal("Assign number", [
            section(`:warning: ${esc(userMessageFor(error, deps.logger))}`),
          ]),
        });
      }
      return;
    }

    try {
      const number = await inventory.numberByE164(parsed.e164);
      const resolved = await inventory.resolveAgent(parsed.agentQuery, number.provider);
      if (resolved.kind === "ambiguous") {
        const view = assignModal({ fixedNumber: true }, number);
        view.blocks.push(
          context(
            `“${esc(parsed.agentQuery)}” matches ${resolved.candidates.length} agents: pick one (${resolved.candidates
              .slice(0, 5)
              .map((a) => esc(a.name))
              .join(", ")}${resolved.candidates.length > 5 ? ", …" : ""}).`,
          ),
        );
        await client.views.open({ trigger_id: command.trigger_id, view });
        return;
      }
      const reply = await changeAndDescribe(deps, {
        actor: command.user_id,
        source: "slash_command",
        numberId: number.id,
        targetAgentId: resolved.agent.id,
        requestKey: `command:${command.trigger_id}`,
      });
      if (reply) await respond({ response_type: "ephemeral", ...reply });
    } catch (error) {
      await respond({ response_type: "ephemeral", ...errorMessage(userMessageFor(error, deps.logger)) });
    }
  };
}
