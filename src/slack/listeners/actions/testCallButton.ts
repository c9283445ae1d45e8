// The "Test call" button: asks the test-call service whether this person may place one and whether
// a call from the number can work, then opens the destination modal, prefilled from the requester's
// Slack profile. `/numbers test-call`
// without a destination opens the same modal (commands/numbers.ts).
import type { BlockButtonAction, webApi } from "@slack/bolt";
import type { AuditSource } from "../../../services/audit";
import { type ActionArgs, onButton } from "../../surfaces";
import { testCallModal } from "../../views/testCallViews";
import type { ListenerDeps } from "../deps";

/** A refusal (no agent…) is thrown before any modal opens: the caller's surface says it. */
export async function openTestCallModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  triggerId: string,
  numberId: string,
  userId: string,
  via: AuditSource,
) {
  const source = await deps.services.testCalls.source(numberId, userId, via);
  const opened = await client.views.open({ trigger_id: triggerId, view: testCallModal(source, null) });
  const prefill = source.profilePhone;
  if (prefill && opened.view?.id) {
    await client.views
      .update({ view_id: opened.view.id, hash: opened.view.hash, view: testCallModal(source, prefill) })
      .catch(() => undefined); // the user may already be typing: keep their input
  }
}

export function testCallButton(deps: ListenerDeps) {
  return onButton(deps.logger, "beside", async ({ body, action, client }: ActionArgs<BlockButtonAction>) => {
    await openTestCallModal(deps, client, body.trigger_id, action.value ?? "", body.user.id, "button");
  });
}
