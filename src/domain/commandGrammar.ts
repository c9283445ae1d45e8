// Grammar of the three slash commands (design.md §3). Pure and total: every function returns a value for any
// string, never throws. Messages are Slack mrkdwn; user text echoed in them is neutralised by quoteUserText.
//
// A number may contain spaces (`(555) 123-4567`, `+1 555 123 4567`) or be Slack's `<tel:…|…>` link, so a
// number is taken from the front of the text as: the Slack link if the text starts with `<tel:`, otherwise the
// LONGEST prefix of whitespace-separated tokens made only of `+0-9()-.` that parses as a phone number.

import { parsePhoneNumber, quoteUserText } from "./phoneNumber";

export const MAX_COMMAND_CHARS = 500;

export const ASSIGN_USAGE =
  "Usage: `/assign-number [number] [agent]` — e.g. `/assign-number +15551234567 Front desk`";
export const UNASSIGN_USAGE = "Usage: `/unassign-number [number]` — e.g. `/unassign-number +15551234567`";

/** Longer help for `/assign-number help`; starts with ASSIGN_USAGE. */
export const ASSIGN_HELP = [
  ASSIGN_USAGE,
  "• `/assign-number` — pick an agent and a number in a dialog",
  "• `/assign-number` _number_ — pick one of the compatible agents for this number",
  "• `/assign-number` _number_ _agent_ — assign directly; _agent_ is the agent's name or its provider id",
  "Numbers can be typed as `+15551234567`, `(555) 123-4567` or pasted from Slack.",
].join("\n");

/** Longer help for `/unassign-number help`; starts with UNASSIGN_USAGE. */
export const UNASSIGN_HELP = [
  UNASSIGN_USAGE,
  "• `/unassign-number` — pick one of the assigned numbers in a dialog",
  "• `/unassign-number` _number_ — remove the number's agent; the number stays in the account and answers no calls",
  "Numbers can be typed as `+15551234567`, `(555) 123-4567` or pasted from Slack.",
].join("\n");

export const LIST_FILTERS = ["all", "free", "assigned", "unrouted", "retell", "vapi", "bland"] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export type AssignCommand =
  | { kind: "modal" }
  | { kind: "help" }
  | { kind: "number"; e164: string }
  | { kind: "number_and_agent"; e164: string; agentQuery: string }
  | { kind: "invalid"; message: string };

export type UnassignCommand =
  | { kind: "modal" }
  | { kind: "help" }
  | { kind: "number"; e164: string }
  | { kind: "invalid"; message: string };

export type NumbersCommand =
  | { kind: "help" }
  | { kind: "status"; e164: string }
  | { kind: "list"; filter: ListFilter; page: number }
  | { kind: "sync" }
  | { kind: "check" }
  | { kind: "history"; e164: string }
  | { kind: "production"; e164: string; on: boolean }
  | { kind: "spare"; e164: string; on: boolean }
  | { kind: "test_call"; e164: string; destination: string | null }
  | { kind: "invalid"; message: string };

type Subcommand =
  | "status"
  | "list"
  | "sync"
  | "check"
  | "history"
  | "production"
  | "spare"
  | "test-call"
  | "help";

/** One line per subcommand: used in NUMBERS_USAGE and, prefixed with "Usage: ", in error messages. */
const SUBCOMMAND_USAGE: Record<Subcommand, string> = {
  status: "`/numbers status` _number_ — run the troubleshooting checklist for a number and say what to fix",
  list: "`/numbers list` [_filter_] [_page_] — list numbers; _filter_ is `all`, `free`, `assigned`, `unrouted`, `retell`, `vapi` or `bland`",
  sync: "`/numbers sync` — refresh numbers and agents from the providers",
  check: "`/numbers check` — run the routing check now",
  history: "`/numbers history` _number_ — show who changed a number, and when",
  production:
    "`/numbers production` _number_ `on`|`off` — mark a number as production (changes then need approval) or not",
  spare:
    "`/numbers spare` _number_ `on`|`off` — mark a number as an intentional spare (the routing check leaves it out) or not",
  "test-call":
    "`/numbers test-call` _number_ [_destination_] — place a test call from the number through its agent",
  help: "`/numbers help` — show this help",
};

export const NUMBERS_USAGE = [
  "*`/numbers` — the number toolbox*",
  ...(Object.keys(SUBCOMMAND_USAGE) as Subcommand[]).map((sub) => `• ${SUBCOMMAND_USAGE[sub]}`),
  "Numbers can be typed as `+15551234567`, `(555) 123-4567` or pasted from Slack.",
].join("\n");

const HELP_WORDS = new Set(["help", "-h", "--help", "?"]);
const ON_WORDS = new Set(["on", "yes", "true"]);
const OFF_WORDS = new Set(["off", "no", "false"]);
const NUMBER_TOKEN = /^[+0-9().-]+$/;
const FORMAT_CHARS = /\p{Cf}/gu;
/** Whitespace and invisible formatting characters around the whole text are noise. */
const EDGE_NOISE = /^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu;

export function parseAssignCommand(text: string, region: string): AssignCommand {
  try {
    const input = clean(text);
    if (input === null) return { kind: "invalid", message: tooLong(ASSIGN_USAGE) };
    if (input === "") return { kind: "modal" };
    if (isHelp(input)) return { kind: "help" };
    const taken = takeNumber(input, region);
    if (!taken.ok) return { kind: "invalid", message: `${taken.reason}\n${ASSIGN_USAGE}` };
    if (taken.rest === "") return { kind: "number", e164: taken.e164 };
    return { kind: "number_and_agent", e164: taken.e164, agentQuery: taken.rest };
  } catch {
    return { kind: "invalid", message: `That command could not be read.\n${ASSIGN_USAGE}` };
  }
}

export function parseUnassignCommand(text: string, region: string): UnassignCommand {
  try {
    const input = clean(text);
    if (input === null) return { kind: "invalid", message: tooLong(UNASSIGN_USAGE) };
    if (input === "") return { kind: "modal" };
    if (isHelp(input)) return { kind: "help" };
    const taken = takeNumber(input, region);
    if (!taken.ok) return { kind: "invalid", message: `${taken.reason}\n${UNASSIGN_USAGE}` };
    if (taken.rest !== "") {
      return { kind: "invalid", message: `${unexpected(taken.rest)} after the number.\n${UNASSIGN_USAGE}` };
    }
    return { kind: "number", e164: taken.e164 };
  } catch {
    return { kind: "invalid", message: `That command could not be read.\n${UNASSIGN_USAGE}` };
  }
}

export function parseNumbersCommand(text: string, region: string): NumbersCommand {
  try {
    return numbersCommand(text, region);
  } catch {
    return { kind: "invalid", message: `That command could not be read.\n${NUMBERS_USAGE}` };
  }
}

function numbersCommand(text: string, region: string): NumbersCommand {
  const input = clean(text);
  if (input === null) return { kind: "invalid", message: tooLong(NUMBERS_USAGE) };
  if (input === "") return { kind: "help" };
  const space = input.search(/\s/);
  const word = (space < 0 ? input : input.slice(0, space)).toLowerCase();
  const args = space < 0 ? "" : input.slice(space).trim();
  if (HELP_WORDS.has(word)) return { kind: "help" };

  switch (word) {
    case "status":
    case "history": {
      const result = singleNumber(args, region, word);
      return "message" in result ? invalid(result.message) : { kind: word, e164: result.e164 };
    }
    case "sync":
    case "check":
      if (args !== "") return invalid(`${unexpected(args)} after \`${word}\`.\n${usage(word)}`);
      return { kind: word };
    case "list":
      return listCommand(args);
    case "production":
    case "spare":
      return onOffCommand(word, args, region);
    case "test-call":
      return testCallCommand(args, region);
    default: {
      // `/numbers +15551234567` most likely means the checklist: say so rather than just "unknown".
      if (NUMBER_TOKEN.test(word.replace(FORMAT_CHARS, "")) || word.startsWith("<tel:")) {
        const taken = takeNumber(input, region);
        if (taken.ok) {
          return invalid(
            `Say what to do with the number, e.g. \`/numbers status ${taken.e164}\` to run its checklist.\n${NUMBERS_USAGE}`,
          );
        }
      }
      return invalid(`${quoteUserText(word)} is not a \`/numbers\` subcommand.\n${NUMBERS_USAGE}`);
    }
  }
}

function listCommand(args: string): NumbersCommand {
  const words = args === "" ? [] : args.split(/\s+/);
  let filter: ListFilter = "all";
  let page = 1;
  let i = 0;
  const first = words[i]?.toLowerCase();
  if (first !== undefined && isListFilter(first)) {
    filter = first;
    i++;
  }
  const pageWord = words[i];
  if (pageWord !== undefined) {
    if (/^[0-9]+$/.test(pageWord)) {
      const n = Number(pageWord);
      if (!Number.isSafeInteger(n) || n < 1) {
        return invalid(
          `The page must be a whole number from 1, not ${quoteUserText(pageWord)}.\n${usage("list")}`,
        );
      }
      page = n;
      i++;
    } else if (i === 0) {
      return invalid(
        `${quoteUserText(pageWord)} is not a list filter: use all, free, assigned, unrouted, retell, vapi or bland.\n${usage("list")}`,
      );
    }
  }
  if (i < words.length) {
    return invalid(`${unexpected(words.slice(i).join(" "))} in \`list\`.\n${usage("list")}`);
  }
  return { kind: "list", filter, page };
}

/** `production` and `spare`: a number, then `on` or `off`. */
function onOffCommand(word: "production" | "spare", args: string, region: string): NumbersCommand {
  if (args === "") return invalid(`\`${word}\` needs a number and \`on\` or \`off\`.\n${usage(word)}`);
  const taken = takeNumber(args, region);
  if (!taken.ok) return invalid(`${taken.reason}\n${usage(word)}`);
  const flag = taken.rest.toLowerCase();
  if (ON_WORDS.has(flag)) return { kind: word, e164: taken.e164, on: true };
  if (OFF_WORDS.has(flag)) return { kind: word, e164: taken.e164, on: false };
  if (flag === "") return invalid(`Say \`on\` or \`off\` after the number.\n${usage(word)}`);
  return invalid(`${quoteUserText(taken.rest)} is not \`on\` or \`off\`.\n${usage(word)}`);
}

function testCallCommand(args: string, region: string): NumbersCommand {
  if (args === "") return invalid(`\`test-call\` needs the number to call from.\n${usage("test-call")}`);
  const from = takeNumber(args, region);
  if (!from.ok) return invalid(`${from.reason}\n${usage("test-call")}`);
  if (from.rest === "") return { kind: "test_call", e164: from.e164, destination: null };
  const to = takeNumber(from.rest, region);
  if (!to.ok) return invalid(`Destination: ${to.reason}\n${usage("test-call")}`);
  if (to.rest !== "") return invalid(`${unexpected(to.rest)} after the destination.\n${usage("test-call")}`);
  return { kind: "test_call", e164: from.e164, destination: to.e164 };
}

function singleNumber(
  args: string,
  region: string,
  sub: "status" | "history",
): { e164: string } | { message: string } {
  if (args === "") return { message: `\`${sub}\` needs a number.\n${usage(sub)}` };
  const taken = takeNumber(args, region);
  if (!taken.ok) return { message: `${taken.reason}\n${usage(sub)}` };
  if (taken.rest !== "") return { message: `${unexpected(taken.rest)} after the number.\n${usage(sub)}` };
  return { e164: taken.e164 };
}

type Taken = { ok: true; e164: string; rest: string } | { ok: false; reason: string };

/**
 * Takes a phone number from the front of `text` (trimmed, non-empty): a Slack `<tel:…>` link, else the longest
 * prefix of number-like tokens that parses, else a lone first token the phone parser accepts (`tel:+1…`).
 * `rest` is what follows, verbatim but for collapse(): edges trimmed, inner whitespace collapsed.
 */
function takeNumber(text: string, region: string): Taken {
  if (/^<tel:/i.test(text)) {
    const end = text.indexOf(">");
    if (end >= 0) {
      const parsed = parsePhoneNumber(text.slice(0, end + 1), region);
      return parsed.ok ? { ok: true, e164: parsed.e164, rest: collapse(text.slice(end + 1)) } : parsed;
    }
  }
  const tokens = text.split(/\s+/);
  let numeric = 0;
  while (numeric < tokens.length && NUMBER_TOKEN.test((tokens[numeric] ?? "").replace(FORMAT_CHARS, ""))) {
    numeric++;
  }
  // The reason shown is the one for the longest candidate: "+1 555 123 is too short", not "+1 is too short".
  let longestFailure = "";
  for (let count = Math.max(numeric, 1); count >= 1; count--) {
    const parsed = parsePhoneNumber(tokens.slice(0, count).join(" "), region);
    if (parsed.ok) return { ok: true, e164: parsed.e164, rest: collapse(tokens.slice(count).join(" ")) };
    if (longestFailure === "") longestFailure = parsed.reason;
  }
  return { ok: false, reason: longestFailure };
}

/** Trimmed text; null when over the cap. Non-strings (a payload without `text`) count as empty. */
function clean(text: string): string | null {
  if (typeof text !== "string") return "";
  if (text.length > MAX_COMMAND_CHARS * 4) return null;
  const trimmed = text.replace(EDGE_NOISE, "");
  return trimmed.length > MAX_COMMAND_CHARS ? null : trimmed;
}

/** Edges stripped of whitespace and invisible format characters, inner whitespace runs made one space. */
function collapse(text: string): string {
  return text.replace(EDGE_NOISE, "").split(/\s+/).join(" ");
}

function isHelp(input: string): boolean {
  return HELP_WORDS.has(input.toLowerCase());
}

function isListFilter(word: string): word is ListFilter {
  return (LIST_FILTERS as readonly string[]).includes(word);
}

function usage(sub: Subcommand): string {
  return `Usage: ${SUBCOMMAND_USAGE[sub]}`;
}

function unexpected(text: string): string {
  return `Unexpected ${quoteUserText(text)}`;
}

function tooLong(usageText: string): string {
  return `That is too long (${MAX_COMMAND_CHARS} characters at most).\n${usageText}`;
}

function invalid(message: string): NumbersCommand {
  return { kind: "invalid", message };
}
