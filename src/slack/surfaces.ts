// The one mapping from an error to what the Slack user sees, and the one wrapper per surface a
// listener answers on. A listener parses, calls one service and renders; it never chooses how to
// answer a failure. Each wrapper hands its listener a `reply` for its surface and sends errors there:
// - a slash command: an ephemeral reply (response_url);
// - a button on a message: replacing the message (a proposal that became its result), or beside it
//   privately — an ephemeral reply, or in the app's DM where there is no message (App Home, modals);
// - a modal submission: before the ack, an error under the field it concerns (or a result view when
//   the field is not in the modal); after the ack, the modal updated with the error.
// DomainError → its message (people it names as mentions; an agent at its limit with Replace);
// ProviderError → its message; a database error → "database not answering"; anything else → a
// reference the user can quote, logged with the error.
import { randomUUID } from "node:crypto";
import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  types,
  ViewSubmitAction,
} from "@slack/bolt";
import { markOutcome } from "../lib/requestContext";
import type { Logger } from "../logger";
import { isProviderError } from "../providers/errors";
import { isDomainError } from "../services/errors";
import { resultModal } from "./views/assignModal";
import type { AnyBlock, SlackMessage } from "./views/blocks";
import { atLimitMessage, errorMessage } from "./views/changeMessages";

/** A reply: text, and blocks when it has more to show than the text. */
export type ReplyMessage = Pick<SlackMessage, "text"> & { blocks?: AnyBlock[] };
export type Reply = (message: ReplyMessage) => Promise<void>;

/** The words for any error, in the user's terms. */
export function userMessageFor(error: unknown, logger: Logger): string {
  if (isDomainError(error)) {
    // A provider failure a service put in words is still a provider failure on the dashboard.
    markOutcome(error.code === "provider_failed" ? "provider_error" : "refused");
    return error.render
      ? error.render(
          (id) => `<@${id}>`,
          (id) => `<!subteam^${id}>`,
        )
      : error.message;
  }
  if (isProviderError(error)) {
    markOutcome("provider_error");
    return error.message;
  }
  if (isDatabaseError(error)) {
    markOutcome("database_error");
    logger.error({ err: error }, "database error while handling a Slack request");
    return "Switchboard's database is not answering, so nothing was changed. Try again in a minute; if it persists, an operator should check DATABASE_URL and the database server (`/readyz` reports it).";
  }
  markOutcome("error");
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error while handling a Slack request");
  return `Switchboard hit an unexpected error (reference ${reference}). Nothing was changed; try again, and give an operator the reference if it happens again.`;
}

/** The message for an error: a refusal that offers Replace carries its button. */
export function errorReply(error: unknown, logger: Logger): SlackMessage {
  const text = userMessageFor(error, logger);
  if (isDomainError(error) && error.replace) return atLimitMessage(text, error.replace);
  return errorMessage(text);
}

/** Prisma's own errors, and the drivers' when the connection is gone (PGlite closed, PostgreSQL down). */
function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /^PrismaClient|^DriverAdapterError$/.test(error.name) ||
    /PGlite is closed|Connection terminated|terminating connection|Can't reach database server/i.test(
      error.message,
    ) ||
    ["57P01", "57P03", "08001", "08006"].includes((error as { code?: string }).code ?? "")
  );
}

// ── Slash commands ────────────────────────────────────────────────────────────────────────────────

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A slash command: the listener acks (validating first), then answers through `reply` (ephemeral). */
export function onCommand(logger: Logger, handle: (args: CommandArgs, reply: Reply) => Promise<void>) {
  return async (args: CommandArgs): Promise<void> => {
    const reply: Reply = async (message) => {
      await args.respond({ response_type: "ephemeral", ...message });
    };
    try {
      await handle(args, reply);
    } catch (error) {
      await reply(errorReply(error, logger));
    }
  };
}

// ── Buttons and menus ─────────────────────────────────────────────────────────────────────────────

export type ActionArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> &
  AllMiddlewareArgs;

/**
 * Where a button's answer goes:
 * - "replace": the message the button is on becomes the answer (confirm, Replace);
 * - "beside": privately beside it via response_url, or in the app's DM when it has none (App Home, modals);
 * - "ephemeral": a private message in the button's channel (chat.postEphemeral), or the app's DM.
 */
export type ButtonSurface = "replace" | "beside" | "ephemeral";

export function replyFor<A extends BlockAction>(args: ActionArgs<A>, surface: ButtonSurface): Reply {
  const { body, client, respond } = args;
  const dm = async (message: ReplyMessage) => {
    // Posting to a user id delivers in the app's DM with them (chat:write).
    await client.chat.postMessage({ channel: body.user.id, ...message });
  };
  switch (surface) {
    case "replace":
      return async (message) => {
        await respond({ replace_original: true, ...message });
      };
    case "beside":
      return async (message) => {
        if (body.response_url)
          await respond({ response_type: "ephemeral", replace_original: false, ...message });
        else await dm(message);
      };
    case "ephemeral":
      return async (message) => {
        if (body.channel?.id)
          await client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, ...message });
        else await dm(message);
      };
  }
}

/** A button or menu: acked at once; the answer (and any error) goes to `surface` (or the one it picks). */
export function onButton<A extends BlockAction = BlockAction>(
  logger: Logger,
  surface: ButtonSurface | ((args: ActionArgs<A>) => ButtonSurface),
  handle: (args: ActionArgs<A>, reply: Reply) => Promise<void>,
) {
  return async (args: ActionArgs<A>): Promise<void> => {
    await args.ack();
    const reply = replyFor(args, typeof surface === "function" ? surface(args) : surface);
    try {
      await handle(args, reply);
    } catch (error) {
      await reply(errorReply(error, logger));
    }
  };
}

// ── Modal submissions ─────────────────────────────────────────────────────────────────────────────

export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type Field = "number" | "agent" | "destination";

export interface SubmissionSurface {
  /** The input block each field's errors show under, when the modal has it ("other": errors of no field). */
  fields: (args: SubmissionArgs) => Partial<Record<Field | "other", string>>;
  /** Title of the result view an error is shown in. */
  title: string;
}

export interface Submission {
  /** Acks with a view update (the "working" view, the result, a confirmation). */
  update(view: types.ModalView): Promise<void>;
  /** Acks with an error under an input block. */
  fieldError(block: string, text: string): Promise<void>;
  /** After the ack: shows the result in the modal. */
  result(title: string, blocks: AnyBlock[]): Promise<void>;
}

/**
 * A modal submission. Errors thrown before the listener acked go under their field (or replace the
 * modal with the error when the field is not in it); errors after the ack update the modal.
 */
export function onSubmission(
  logger: Logger,
  surface: SubmissionSurface,
  handle: (args: SubmissionArgs, modal: Submission) => Promise<void>,
) {
  return async (args: SubmissionArgs): Promise<void> => {
    let acked = false;
    const ack = async (response: Parameters<SubmissionArgs["ack"]>[0]) => {
      acked = true;
      await args.ack(response);
    };
    const modal: Submission = {
      update: (view) => ack({ response_action: "update", view }),
      fieldError: (block, text) =>
        ack({ response_action: "errors", errors: { [block]: text.slice(0, 2000) } }),
      result: async (title, blocks) => {
        await args.client.views.update({
          view_id: args.body.view.root_view_id ?? args.body.view.id,
          view: resultModal(title, blocks),
        });
      },
    };
    try {
      await handle(args, modal);
    } catch (error) {
      const text = userMessageFor(error, logger);
      if (acked) return modal.result(surface.title, errorMessage(text).blocks);
      const field = isDomainError(error) ? error.field : undefined;
      const block = surface.fields(args)[field ?? "other"];
      if (block) return modal.fieldError(block, text);
      return modal.update(resultModal("Not changed", errorMessage(text).blocks));
    }
  };
}
