// /numbers <subcommand>: the toolbox. One grammar (src/domain/commandGrammar.ts), one help text;
// each subcommand calls one service and answers with one ephemeral message.
import { NUMBERS_USAGE, type NumbersCommand, parseNumbersCommand } from "../../../domain/commandGrammar";
import { formatPhoneNumber } from "../../../domain/phoneNumber";
import { type CommandArgs, onCommand, type Reply } from "../../surfaces";
import { context } from "../../views/blocks";
import { errorMessage } from "../../views/changeMessages";
import { historyMessage, numberListMessage, syncMessage } from "../../views/numbersViews";
import { checkSummaryMessage, statusMessage } from "../../views/statusViews";
import { testCallMessage } from "../../views/testCallViews";
import { openTestCallModal } from "../actions/testCallButton";
import type { ListenerDeps } from "../deps";

/** Subcommands with a handler; each answers through `reply` (or opens a modal). */
export type NumbersHandlers = {
  [K in NumbersCommand["kind"]]?: (
    command: Extract<NumbersCommand, { kind: K }>,
    args: CommandArgs,
    reply: Reply,
  ) => Promise<void>;
};

export function numbersCommand(deps: ListenerDeps, extra: NumbersHandlers = {}) {
  const handlers: NumbersHandlers = { ...coreHandlers(deps), ...extra };
  return onCommand(deps.logger, async (args, reply) => {
    const parsed = parseNumbersCommand(args.command.text, deps.defaultRegion);
    if (parsed.kind === "help")
      return void (await args.ack({ response_type: "ephemeral", text: NUMBERS_USAGE }));
    if (parsed.kind === "invalid") return void (await args.ack(errorMessage(parsed.message)));
    await args.ack();
    const handler = handlers[parsed.kind] as
      | ((c: NumbersCommand, a: CommandArgs, r: Reply) => Promise<void>)
      | undefined;
    if (handler) await handler(parsed, args, reply);
    else await reply({ text: NUMBERS_USAGE });
  });
}

function coreHandlers(deps: ListenerDeps): NumbersHandlers {
  const { services } = deps;
  return {
    list: async ({ filter, page }, _args, reply) => {
      const result = await services.inventory.list(filter, page);
      const title = filter === "all" ? "All numbers" : `Numbers: ${filter}`;
      await reply(
        numberListMessage(title, result.numbers, Math.min(page, result.pages), result.pages, result.total),
      );
    },
    history: async ({ e164 }, _args, reply) => {
      await reply(historyMessage(e164, await services.settings.history(e164)));
    },
    sync: async (_command, { command }, reply) => {
      const result = await services.sync.requestSync(command.user_id, "slash_command", () =>
        reply({ text: ":arrows_counterclockwise: Syncing every connected provider…" }),
      );
      await reply(syncMessage(result));
    },
    status: async ({ e164 }, _args, reply) => {
      await reply(statusMessage(await services.status.status(e164)));
    },
    check: async (_command, { command }, reply) => {
      const summary = await services.check.requestRun(command.user_id, "slash_command", () =>
        reply({ text: ":mag: Syncing and checking every number…" }),
      );
      await reply(checkSummaryMessage(summary));
    },
    test_call: async ({ e164, destination }, { command, client }, reply) => {
      const number = await services.inventory.numberChoice(e164);
      if (!destination) {
        await openTestCallModal(
          deps,
          client,
          command.trigger_id,
          number.id,
          command.user_id,
          "slash_command",
        );
        return;
      }
      const card = await services.testCalls.place({
        numberId: number.id,
        destination,
        requesterId: command.user_id,
        source: "slash_command",
      });
      const progress = testCallMessage(card);
      await reply({
        text: progress.text,
        blocks: [...progress.blocks, context("Progress is updated in your DM with Switchboard.")],
      });
    },
    production: async ({ e164, on }, { command }, reply) => {
      const { changed } = await services.settings.setProduction(e164, on, command.user_id);
      const state = on
        ? "is now a *production* number: reassigning or unassigning it needs an approver."
        : "is no longer a production number: changes apply after the requester confirms.";
      await reply({ text: `${changed ? "" : "No change: "}${formatPhoneNumber(e164)} ${state}` });
    },
    spare: async ({ e164, on }, { command }, reply) => {
      const { changed } = await services.settings.setSpare(e164, on, command.user_id);
      const state = on
        ? "is marked as a spare: the routing check leaves it out."
        : "is not a spare: the routing check watches it again from its next run.";
      await reply({ text: `${changed ? "" : "No change: "}${formatPhoneNumber(e164)} ${state}` });
    },
  };
}
