// The ⋯ menu and buttons on routing alerts, status answers and App Home: Assign… (the assign modal
// with the number filled in), Restore / Keep provider's, Snooze 24 h, Mark as spare, Not a spare.
import type { BlockAction } from "@slack/bolt";
import { type ActionArgs, onButton } from "../../surfaces";
import { assignModal } from "../../views/assignModal";
import type { ListenerDeps } from "../deps";
import { keepProviders, restore } from "./driftButtons";

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

/** Repairs answer beside the message, as their own buttons do; the rest privately in the channel. */
const surfaceOf = ({ action }: ActionArgs) => {
  const verb = chosen(action)?.verb;
  return verb === "restore" || verb === "keep" ? "beside" : "ephemeral";
};

export function alertMenu(deps: ListenerDeps) {
  const { services } = deps;
  return onButton(deps.logger, surfaceOf, async (args: ActionArgs, reply) => {
    const picked = chosen(args.action);
    if (!picked) return;
    const { body, client } = args;
    switch (picked.verb) {
      case "assign": {
        // Refused before the form opens: nobody is shown a form they cannot submit.
        await services.assignment.requireAccess(body.user.id, "assign", "button");
        const number = await services.inventory.numberChoiceById(picked.numberId);
        await client.views.open({
          trigger_id: body.trigger_id,
          view: assignModal({ fixedNumber: true }, number),
        });
        return;
      }
      case "restore":
        return restore(deps, picked.numberId, body.user.id, reply);
      case "keep":
        return keepProviders(deps, picked.numberId, args, reply);
      case "snooze":
        await services.check.snooze(picked.numberId, body.user.id);
        return;
      case "unspare": {
        const { e164, changed } = await services.settings.unmarkSpare(picked.numberId, body.user.id);
        await reply({
          text: changed
            ? `${e164} is no longer a spare: the routing check watches it again from its next run.`
            : `${e164} was not a spare: nothing changed.`,
        });
        return;
      }
      case "spare": {
        const { e164 } = await services.settings.markSpare(picked.numberId, body.user.id);
        await reply({
          text: `${e164} is marked as a spare: the routing check leaves it out. \`/numbers status ${e164}\` shows it.`,
        });
        return;
      }
    }
  });
}
