// /numbers <subcommand>: the toolbox. One grammar (src/domain/commandGrammar.ts), one help text.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { NUMBERS_USAGE, type NumbersCommand, parseNumbersCommand } from "../../../domain/commandGrammar";
import { formatPhoneNumber } from "../../../domain/phoneNumber";
import { userMessageFor } from "../../errors";
import { type AnyBlock, context } from "../../views/blocks";
import { errorMessage } from "../../views/changeMessages";
import { historyMessage, numberListMessage, syncMessage } from "../../views/numbersViews";
import { checkSummaryMessage, statusMessage } from "../../views/statusViews";
import { testCallMessage } from "../../views/testCallViews";
import type { ListenerDeps } from "../deps";
import { openTestCallModal } from "../testCalls";

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Reply = { text: string; blocks?: AnyBlock[] };

/** Subcommands with a handler; each answers with one ephemeral message. */
export type NumbersHandlers = {
  [K in NumbersCommand["kind"]]?: (
    command: Extract<NumbersCommand, { kind: K }>,
    args: Args,
  ) => Promise<Reply | null>;
};

export function numbersCommand(deps: ListenerDeps, extra: NumbersHandlers = {}) {
  const handlers: NumbersHandlers = { ...coreHandlers(deps), ...extra };
  return async (args: Args): Promise<void> => {
    const parsed = parseNumbersCommand(args.command.text, deps.config.defaultRegion);
    if (parsed.kind === "help")
      return void (await args.ack({ response_type: "ephemeral", text: NUMBERS_USAGE }));
    if (parsed.kind === "invalid") return void (await args.ack(errorMessage(parsed.message)));
    await args.ack();
    const handler = handlers[parsed.kind] as
      | ((c: NumbersCommand, a: Args) => Promise<Reply | null>)
      | undefined;
    try {
      const reply = handler ? await handler(parsed, args) : { text: NUMBERS_USAGE };
      if (reply) await args.respond({ response_type: "ephemeral", ...reply });
    } catch (error) {
      await args.respond({ response_type: "ephemeral", ...errorMessage(userMessageFor(error, deps.logger)) });
    }
  };
}

function coreHandlers(deps: ListenerDeps): NumbersHandlers {
  const { services } = deps;
  return {
    list: async ({ filter, page }) => {
      const result = await services.inventory.list(filter, page);
      const title = filter === "all" ? "All numbers" : `Numbers: ${filter}`;
      return numberListMessage(
        title,
        result.numbers,
        Math.min(page, result.pages),
        result.pages,
        result.total,
      );
    },
    history: async ({ e164 }) => {
      const number = await services.inventory.numberByE164(e164);
      return historyMessage(e164, await services.settings.history(number.id));
    },
    sync: async (_command, { command, respond }) => {
      await respond({
        response_type: "ephemeral",
        text: ":arrows_counterclockwise: Syncing every connected provider…",
      });
      return syncMessage(await services.sync.syncAll(command.user_id));
    },
    status: async ({ e164 }) => statusMessage(await services.status.status(e164)),
    check: async (_command, { respond }) => {
      await respond({ response_type: "ephemeral", text: ":mag: Syncing and checking every number…" });
      return checkSummaryMessage(await services.check.run("manual"));
    },
    test_call: async ({ e164, destination }, { command, client }) => {
      const number = await services.inventory.numberByE164(e164);
      if (!destination) {
        await openTestCallModal(deps, client, command.trigger_id, number.id, command.user_id);
        return null;
      }
      const card = await services.testCalls.place({
        numberId: number.id,
        destination,
        requesterId: command.user_id,
        source: "slash_command",
      });
      const progress = testCallMessage(card);
      return {
        text: progress.text,
        blocks: [...progress.blocks, context("Progress is updated in your DM with Switchboard.")],
      };
    },
    production: async ({ e164, on }, { command }) => {
      const { changed } = await services.settings.setProduction(e164, on, command.user_id);
      const state = on
        ? "is now a *production* number: reassigning or unassigning it needs an approver."
        : "is no longer a production number: changes apply after the requester confirms.";
      return { text: `${changed ? "" : "No change: "}${formatPhoneNumber(e164)} ${state}` };
    },
  };
}
