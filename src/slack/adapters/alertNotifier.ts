// Implements the routing check's alert port with the Slack Web API.
import type { webApi } from "@slack/bolt";
import type { AlertCard, AlertNotifier, MessageRef } from "../../services/ports";
import { alertMessage } from "../views/alertMessage";

export function slackAlertNotifier(
  client: webApi.WebClient,
  channel: string | undefined,
): AlertNotifier | null {
  if (!channel) return null;
  return {
    async post(card: AlertCard): Promise<MessageRef | null> {
      const posted = await client.chat.postMessage({ channel, ...alertMessage(card) });
      return posted.ts ? { channel: posted.channel ?? channel, ts: posted.ts } : null;
    },
    async update(ref: MessageRef, card: AlertCard): Promise<void> {
      await client.chat.update({ channel: ref.channel, ts: ref.ts, ...alertMessage(card) });
    },
  };
}
