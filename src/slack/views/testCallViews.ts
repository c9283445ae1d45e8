// Test calls: the destination modal, and the progress message updated in place (same words for
// every provider: placed → ringing → in progress → ended / did not connect).
import type { types } from "@slack/bolt";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL } from "../../domain/providers";
import type { TestCallCard } from "../../services/ports";
import { type ButtonSpec, context, esc, message, plain, type SlackMessage, section } from "./blocks";

export const ACTION_TEST_CALL = "test_call_open";
export const TEST_CALL_MODAL = "test_call";
export const DESTINATION_BLOCK = "destination";
export const DESTINATION_INPUT = "destination_input";

export function testCallButton(numberId: string): ButtonSpec {
  return { text: "Test call", actionId: ACTION_TEST_CALL, value: numberId };
}

export function testCallModal(
  number: { id: string; e164: string; provider: keyof typeof PROVIDER_LABEL; agentName: string },
  prefill: string | null,
): types.ModalView {
  return {
    type: "modal",
    callback_id: TEST_CALL_MODAL,
    private_metadata: JSON.stringify({ numberId: number.id }),
    title: plain("Test call", 24),
    submit: plain("Call", 24),
    close: plain("Cancel", 24),
    blocks: [
      section(
        `Call from *${formatPhoneNumber(number.e164)}* (${PROVIDER_LABEL[number.provider]}) through *${esc(number.agentName)}* to a phone you can answer.`,
      ),
      {
        type: "input",
        block_id: DESTINATION_BLOCK,
        label: plain("Call this phone", 2000),
        hint: plain(
          prefill
            ? "From your Slack profile; change it if you like."
            : "E.164 (+15551234567) or a national number.",
          2000,
        ),
        element: {
          type: "plain_text_input",
          action_id: DESTINATION_INPUT,
          max_length: 40,
          placeholder: plain("+15551234567", 150),
          ...(prefill ? { initial_value: prefill } : {}),
        },
      },
    ],
  };
}

const STATUS_WORDS: Record<TestCallCard["status"], string> = {
  placed: ":telephone_receiver: Placed — dialling",
  ringing: ":bell: Ringing",
  in_progress: ":speaking_head_in_silhouette: In progress",
  ended: ":white_check_mark: Ended",
  failed: ":warning: Not followed to the end",
};

/** The notification text (what Slack shows where blocks are not rendered). */
const FALLBACK_WORDS: Record<TestCallCard["status"], string> = {
  placed: "placed",
  ringing: "ringing",
  in_progress: "in progress",
  ended: "ended",
  failed: "not followed to the end",
};

export function testCallMessage(card: TestCallCard): SlackMessage {
  const ended = card.status === "ended";
  const notConnected = ended && card.connected === false;
  const state = notConnected ? ":x: Did not connect" : STATUS_WORDS[card.status];
  const facts = [
    `From ${formatPhoneNumber(card.e164)} (${PROVIDER_LABEL[card.provider]}) through *${esc(card.agentName)}* to ${formatPhoneNumber(card.destination)}`,
  ];
  if (ended && !notConnected && card.durationSec !== null) facts.push(`Duration: ${card.durationSec} s`);
  if (card.endReason && card.status !== "failed")
    facts.push(`${PROVIDER_LABEL[card.provider]}'s end reason: \`${esc(card.endReason)}\``);
  if (card.providerCallId) facts.push(`Call id: \`${esc(card.providerCallId)}\``);
  const blocks = [section(`*Test call* — ${state}`), context(...facts)];
  if (card.note) blocks.push(context(esc(card.note)));
  return message(
    `Test call ${notConnected ? "did not connect" : FALLBACK_WORDS[card.status]}: ${card.e164} → ${card.destination}`,
    blocks,
  );
}
