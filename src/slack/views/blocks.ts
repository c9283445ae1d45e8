// Small Block Kit helpers shared by every view builder. Text from providers and users is
// escaped before it reaches mrkdwn, so a name like "<!channel>" cannot ping anyone.
import type { types } from "@slack/bolt";

type Block = types.Block;
type KnownBlock = types.KnownBlock;
type PlainTextElement = types.PlainTextElement;

export type AnyBlock = Block | KnownBlock;

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text trimmed to Slack's limit for the element it goes in. */
export function plain(text: string, max = 75): PlainTextElement {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function section(markdown: string, accessory?: object): KnownBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: clip(markdown, 3000) },
    ...(accessory ? { accessory } : {}),
  } as KnownBlock;
}

export function context(...markdown: string[]): KnownBlock {
  return {
    type: "context",
    elements: markdown.slice(0, 10).map((text) => ({ type: "mrkdwn", text: clip(text, 2000) })),
  };
}

export function header(text: string): KnownBlock {
  return { type: "header", text: plain(text, 150) };
}

export function divider(): KnownBlock {
  return { type: "divider" };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  style?: "primary" | "danger";
  confirm?: { title: string; text: string; confirm: string; deny?: string };
}

export function button(spec: ButtonSpec) {
  return {
    type: "button" as const,
    text: plain(spec.text),
    action_id: spec.actionId,
    ...(spec.value !== undefined ? { value: spec.value } : {}),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: plain(spec.confirm.title, 100),
            text: { type: "mrkdwn" as const, text: clip(spec.confirm.text, 300) },
            confirm: plain(spec.confirm.confirm, 30),
            deny: plain(spec.confirm.deny ?? "Cancel", 30),
          },
        }
      : {}),
  };
}

export function actions(blockId: string, ...buttons: ButtonSpec[]): KnownBlock {
  return { type: "actions", block_id: blockId, elements: buttons.slice(0, 25).map(button) } as KnownBlock;
}

/** A reply message: `text` is the notification fallback, blocks carry the layout. */
export interface SlackMessage {
  text: string;
  blocks: AnyBlock[];
}

export function message(text: string, blocks?: AnyBlock[]): SlackMessage {
  return { text: clip(text, 3000), blocks: blocks ?? [section(text)] };
}
