// Implements the approval service's notifier port with the Slack Web API.
import type { webApi } from "@slack/bolt";
import type { ApprovalCard, ApprovalNotifier, MessageRef } from "../../services/ports";
import { approvalMessage, requesterUpdateText } from "../views/approvalMessage";

export function slackApprovalNotifier(
  client: webApi.WebClient,
  channel: string | undefined,
): ApprovalNotifier {
  return {
    async postApproval(card: ApprovalCard): Promise<MessageRef | null> {
      if (!channel) return null;
      const posted = await client.chat.postMessage({ channel, ...approvalMessage(card) });
      return posted.ts ? { channel: posted.channel ?? channel, ts: posted.ts } : null;
    },
    async updateApproval(ref: MessageRef, card: ApprovalCard): Promise<void> {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, ...approvalMessage(card) });
    },
    async tellRequester(card: ApprovalCard): Promise<void> {
      // Posting to a user id delivers in the app's DM with them (chat:write).
      await client.chat.postMessage({ channel: card.requesterId, text: requesterUpdateText(card) });
    },
  };
}
