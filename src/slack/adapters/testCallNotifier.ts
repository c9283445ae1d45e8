// Test call progress goes to the requester's DM with the app: one message, updated in place.
import type { webApi } from "@slack/bolt";
import type { MessageRef, TestCallCard, TestCallNotifier } from "../../services/ports";
import { testCallMessage } from "../views/testCallViews";

export function slackTestCallNotifier(client: webApi.WebClient): TestCallNotifier {
  return {
    async post(card: TestCallCard): Promise<MessageRef | null> {
      const posted = await client.chat.postMessage({ channel: card.requesterId, ...testCallMessage(card) });
      return posted.ts && posted.channel ? { channel: posted.channel, ts: posted.ts } : null;
    },
    async update(ref: MessageRef, card: TestCallCard): Promise<void> {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, ...testCallMessage(card) });
    },
  };
}
