// Test call entry points: the "Test call" button (opens the destination modal, prefilled from the
// requester's Slack profile), the modal's submission, and `/numbers test-call` (see commands/numbers.ts).
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import { z } from "zod";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { DomainError } from "../../services/errors";
import { userMessageFor } from "../errors";
import { resultModal } from "../views/assignModal";
import { section } from "../views/blocks";
import { errorMessage, workingMessage } from "../views/changeMessages";
import { DESTINATION_BLOCK, DESTINATION_INPUT, testCallMessage, testCallModal } from "../views/testCallViews";
import type { ListenerDeps } from "./deps";

/** The requester's own phone from their Slack profile, if Slack provides one. */
export async function profilePhone(client: webApi.WebClient, userId: string): Promise<string | null> {
  try {
    const info = await client.users.info({ user: userId });
    return info.user?.profile?.phone?.trim() || null;
  } catch {
    return null;
  }
}

export async function openTestCallModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  triggerId: string,
  numberId: string,
  userId: string,
) {
  const number = await deps.services.inventory.numberById(numberId);
  if (!number.agent) {
    // Said where the user asked (the command's or button's reply), before any modal opens.
    throw new DomainError(
      "invalid_input",
      `${formatPhoneNumber(number.e164)} has no agent, so a call from it reaches nobody: assign it first.`,
      "number",
    );
  }
  const view = testCallModal(
    { id: number.id, e164: number.e164, provider: number.provider, agentName: number.agent.name },
    null,
  );
  const opened = await client.views.open({ trigger_id: triggerId, view });
  const prefill = await profilePhone(client, userId);
  if (prefill && opened.view?.id) {
    await client.views
      .update({
        view_id: opened.view.id,
        hash: opened.view.hash,
        view: testCallModal(
          { id: number.id, e164: number.e164, provider: number.provider, agentName: number.agent.name },
          prefill,
        ),
      })
      .catch(() => undefined); // the user may already be typing: keep their input
  }
}

export function testCallButtonAction(deps: ListenerDeps) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    try {
      await openTestCallModal(deps, client, body.trigger_id, action.value ?? "", body.user.id);
    } catch (error) {
      const reply = errorMessage(userMessageFor(error, deps.logger));
      // On a message: privately, beside it. On App Home (no response_url): in the DM with the app.
      if (body.response_url) await respond({ response_type: "ephemeral", replace_original: false, ...reply });
      else await client.chat.postMessage({ channel: body.user.id, ...reply });
    }
  };
}

const metadataSchema = z.object({ numberId: z.string().min(1).max(64) });

export function testCallSubmission(deps: ListenerDeps) {
  return async ({
    ack,
    body,
    view,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const { testCalls } = deps.services;
    let meta: z.infer<typeof metadataSchema>;
    try {
      meta = metadataSchema.parse(JSON.parse(view.private_metadata || "{}"));
    } catch {
      return void (await ack({
        response_action: "update",
        view: resultModal("Test call", errorMessage("This form is malformed; nothing was called.").blocks),
      }));
    }
    const input = view.state.values[DESTINATION_BLOCK]?.[DESTINATION_INPUT]?.value ?? "";
    try {
      testCalls.parseDestination(input);
    } catch (error) {
      return void (await ack({
        response_action: "errors",
        errors: { [DESTINATION_BLOCK]: userMessageFor(error, deps.logger) },
      }));
    }
    await ack({
      response_action: "update",
      view: resultModal(
        "Test call",
        workingMessage("Checking the number and its agent, then placing the call…").blocks,
      ),
    });
    let blocks: ReturnType<typeof testCallMessage>["blocks"];
    try {
      const card = await testCalls.place({
        numberId: meta.numberId,
        destination: input,
        requesterId: body.user.id,
        source: "modal",
      });
      blocks = [...testCallMessage(card).blocks, section("Progress is updated in your DM with Switchboard.")];
    } catch (error) {
      blocks = errorMessage(userMessageFor(error, deps.logger)).blocks;
    }
    await client.views.update({ view_id: view.id, view: resultModal("Test call", blocks) });
  };
}
