// Buttons on routing alerts and status answers: Assign… (opens the assign modal with the number
// filled in), Snooze 24 h, Mark as spare (audited; spares are left out of the check).
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { userMessageFor } from "../../errors";
import { assignModal } from "../../views/assignModal";
import type { ListenerDeps } from "../deps";
import { replier, runKeepProviders, runRestore } from "../driftRepair";

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function chosen(action: BlockAction["actions"][number]): { verb: string; numberId: string } | null {
  if (action.type === "overflow") {
    const [verb, numberId] = (action.selected_option?.value ?? "").split(":");
    return verb && numberId ? { verb, numberId } : null;
  }
  if (action.type === "button" && action.value) {
    const verb = action.action_id.replace(/^(alert|status)_/, "");
    return { verb, numberId: action.value };
  }
  return null;
}

export function alertAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const picked = chosen(action);
    if (!picked) return;
    const tell = (text: string) =>
      body.channel?.id
        ? client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text })
        : client.chat.postMessage({ channel: body.user.id, text });
    try {
      const { services } = deps;
      if (picked.verb === "assign") {
        const number = await services.inventory.numberById(picked.numberId);
        await client.views.open({
          trigger_id: body.trigger_id,
          view: assignModal({ fixedNumber: true }, number),
        });
      } else if (picked.verb === "restore") {
        await runRestore(deps, picked.numberId, body.user.id, replier({ body, respond, client }));
      } else if (picked.verb === "keep") {
        const open = (view: object) =>
          client.views.open({ trigger_id: body.trigger_id, view: view as never });
        await runKeepProviders(deps, picked.numberId, body.user.id, open, replier({ body, respond, client }));
      } else if (picked.verb === "snooze") {
        await services.check.snooze(picked.numberId, body.user.id);
      } else if (picked.verb === "spare") {
        const number = await services.settings.setSpare(picked.numberId, true, body.user.id);
        await services.check.resolveNumber(picked.numberId);
        await tell(
          `${number.e164} is marked as a spare: the routing check leaves it out. \`/numbers status ${number.e164}\` shows it.`,
        );
      }
    } catch (error) {
      await tell(`:warning: ${userMessageFor(error, deps.logger)}`);
    }
  };
}
