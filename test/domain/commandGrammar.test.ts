import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ASSIGN_HELP,
  ASSIGN_USAGE,
  type AssignCommand,
  LIST_FILTERS,
  NUMBERS_USAGE,
  type NumbersCommand,
  parseAssignCommand,
  parseNumbersCommand,
  parseUnassignCommand,
  UNASSIGN_HELP,
  UNASSIGN_USAGE,
  type UnassignCommand,
} from "../../src/domain/commandGrammar";
import { isE164, parsePhoneNumber } from "../../src/domain/phoneNumber";

const E = "+15551234567";
const SLACK = "<tel:+15551234567|+1 555-123-4567>";
const assign = (text: string) => parseAssignCommand(text, "US");
const unassign = (text: string) => parseUnassignCommand(text, "US");
const numbers = (text: string) => parseNumbersCommand(text, "US");

function invalidMessage(result: AssignCommand | UnassignCommand | NumbersCommand): string {
  if (result.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("usage texts", () => {
  it("assign and unassign usage lines are exact", () => {
    expect(ASSIGN_USAGE).toBe(
      "Usage: `/assign-number [number] [agent]` — e.g. `/assign-number +15551234567 Front desk`",
    );
    expect(UNASSIGN_USAGE).toBe("Usage: `/unassign-number [number]` — e.g. `/unassign-number +15551234567`");
    expect(ASSIGN_HELP.startsWith(ASSIGN_USAGE)).toBe(true);
    expect(UNASSIGN_HELP.startsWith(UNASSIGN_USAGE)).toBe(true);
  });

  it("NUMBERS_USAGE lists every subcommand on its own line", () => {
    const lines = NUMBERS_USAGE.split("\n");
    for (const sub of [
      "status",
      "list",
      "sync",
      "check",
      "history",
      "production",
      "spare",
      "test-call",
      "help",
    ]) {
      expect(
        lines.some((line) => line.startsWith(`• \`/numbers ${sub}`)),
        sub,
      ).toBe(true);
    }
    for (const filter of LIST_FILTERS) expect(NUMBERS_USAGE).toContain(`\`${filter}\``);
  });

  it("no usage text contains raw angle brackets (Slack would read them as links)", () => {
    for (const text of [ASSIGN_USAGE, UNASSIGN_USAGE, ASSIGN_HELP, UNASSIGN_HELP, NUMBERS_USAGE]) {
      expect(text).not.toMatch(/[<>]/);
    }
  });
});

describe("parseAssignCommand", () => {
  it.each<[string, AssignCommand]>([
    ["", { kind: "modal" }],
    ["   ", { kind: "modal" }],
    ["\u200F \n", { kind: "modal" }],
    ["help", { kind: "help" }],
    ["HELP", { kind: "help" }],
    ["-h", { kind: "help" }],
    ["--help", { kind: "help" }],
    ["?", { kind: "help" }],
    [" help ", { kind: "help" }],
    [E, { kind: "number", e164: E }],
    ["+1 555 123 4567", { kind: "number", e164: E }],
    ["+1 (555) 123-4567", { kind: "number", e164: E }],
    ["(555) 123-4567", { kind: "number", e164: E }],
    ["555.123.4567", { kind: "number", e164: E }],
    ["555 123 4567", { kind: "number", e164: E }],
    ["5551234567", { kind: "number", e164: E }],
    ["0044 20 7123 4567", { kind: "number", e164: "+442071234567" }],
    [SLACK, { kind: "number", e164: E }],
    ["<tel:+15551234567>", { kind: "number", e164: E }],
    ["tel:+15551234567", { kind: "number", e164: E }],
    [`${E} agent_abc`, { kind: "number_and_agent", e164: E, agentQuery: "agent_abc" }],
    ["+1 555 123 4567 agent_abc", { kind: "number_and_agent", e164: E, agentQuery: "agent_abc" }],
    ["(555) 123-4567 sales bot", { kind: "number_and_agent", e164: E, agentQuery: "sales bot" }],
    ["555.123.4567   Front \t desk  ", { kind: "number_and_agent", e164: E, agentQuery: "Front desk" }],
    [`${SLACK} Front desk`, { kind: "number_and_agent", e164: E, agentQuery: "Front desk" }],
    [`${SLACK}Front desk`, { kind: "number_and_agent", e164: E, agentQuery: "Front desk" }],
    ["tel:+15551234567 Front desk", { kind: "number_and_agent", e164: E, agentQuery: "Front desk" }],
    [
      `${E} asst_8f2d1c3b-aaaa-4bbb-8ccc-0123456789ab`,
      { kind: "number_and_agent", e164: E, agentQuery: "asst_8f2d1c3b-aaaa-4bbb-8ccc-0123456789ab" },
    ],
    // Numeric agent ids: the longest prefix that parses is the number, the rest is the agent.
    [`${E} 12345`, { kind: "number_and_agent", e164: E, agentQuery: "12345" }],
    ["(555) 123-4567 2024 bot", { kind: "number_and_agent", e164: E, agentQuery: "2024 bot" }],
    [`${E} +15557654321`, { kind: "number_and_agent", e164: E, agentQuery: "+15557654321" }],
    [`${E} help`, { kind: "number_and_agent", e164: E, agentQuery: "help" }],
    [
      "+44 20 7123 4567 Support line",
      { kind: "number_and_agent", e164: "+442071234567", agentQuery: "Support line" },
    ],
  ])("%j", (text, expected) => {
    expect(assign(text)).toEqual(expected);
  });

  it.each([
    ["a word first", "sales bot", "“sales” is not a phone number"],
    ["a mention first", "<@U123> +15551234567", "“‹@U123›” is not a phone number"],
    ["too short", "+1 555 123 sales", "+1 555 123 is too short to be a phone number"],
    ["bad country code", "+99 123 456 7890 bot", "+99 123 456 7890 has no valid country code"],
    ["short Slack link", "<tel:+1555|+1 555> bot", "+1555 is too short"],
    ["unterminated Slack link", "<tel:+15551234567|+1 555", "is not a phone number"],
    ["punctuation glued to the number", "+15551234567, Front desk", "is not a phone number"],
  ])("invalid: %s", (_label, text, reason) => {
    const message = invalidMessage(assign(text));
    expect(message).toContain(reason);
    expect(message.endsWith(`\n${ASSIGN_USAGE}`)).toBe(true);
  });

  it("takes the LONGEST number-like prefix that parses (variable-length plans)", () => {
    // +49 30 1234567 is a possible Berlin number on its own, and so is +49 30 12345678.
    expect(assign("+49 30 1234567 8 Desk")).toEqual({
      kind: "number_and_agent",
      e164: "+493012345678",
      agentQuery: "Desk",
    });
    expect(assign("+49 30 1234567 Desk")).toEqual({
      kind: "number_and_agent",
      e164: "+49301234567",
      agentQuery: "Desk",
    });
  });

  it("caps input at 500 characters", () => {
    const text = `${E} ${"a".repeat(500)}`;
    expect(invalidMessage(assign(text))).toMatch(/^That is too long/);
    expect(assign(`${E} ${"a".repeat(400)}`).kind).toBe("number_and_agent");
    expect(invalidMessage(assign("x".repeat(1_000_000)))).toMatch(/^That is too long/);
  });

  it("uses the default region", () => {
    expect(parseAssignCommand("07400 123456 Ops", "GB")).toEqual({
      kind: "number_and_agent",
      e164: "+447400123456",
      agentQuery: "Ops",
    });
  });
});

describe("parseUnassignCommand", () => {
  it.each<[string, UnassignCommand]>([
    ["", { kind: "modal" }],
    ["help", { kind: "help" }],
    ["?", { kind: "help" }],
    ["--HELP", { kind: "help" }],
    [E, { kind: "number", e164: E }],
    ["(555) 123-4567", { kind: "number", e164: E }],
    ["+1 555 123 4567", { kind: "number", e164: E }],
    [SLACK, { kind: "number", e164: E }],
    [` ${SLACK}  `, { kind: "number", e164: E }],
    ["tel:+15551234567", { kind: "number", e164: E }],
  ])("%j", (text, expected) => {
    expect(unassign(text)).toEqual(expected);
  });

  it.each([
    ["extra words", `${E} now please`, "Unexpected “now please” after the number"],
    ["extra words after a Slack link", `${SLACK} now`, "Unexpected “now” after the number"],
    ["not a number", "sales", "“sales” is not a phone number"],
    ["too short", "555 1234", "555 1234 is too short"],
  ])("invalid: %s", (_label, text, reason) => {
    const message = invalidMessage(unassign(text));
    expect(message).toContain(reason);
    expect(message.endsWith(`\n${UNASSIGN_USAGE}`)).toBe(true);
  });

  it("caps input at 500 characters", () => {
    expect(invalidMessage(unassign(" 5".repeat(300)))).toMatch(/^That is too long/);
  });
});

describe("parseNumbersCommand", () => {
  it.each<[string, NumbersCommand]>([
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["Help", { kind: "help" }],
    ["-h", { kind: "help" }],
    ["--help", { kind: "help" }],
    ["?", { kind: "help" }],
    [`status ${E}`, { kind: "status", e164: E }],
    ["STATUS (555) 123-4567", { kind: "status", e164: E }],
    [`status ${SLACK}`, { kind: "status", e164: E }],
    ["status   +1 555 123 4567  ", { kind: "status", e164: E }],
    ["list", { kind: "list", filter: "all", page: 1 }],
    ["list all", { kind: "list", filter: "all", page: 1 }],
    ["list free", { kind: "list", filter: "free", page: 1 }],
    ["list assigned", { kind: "list", filter: "assigned", page: 1 }],
    ["list unrouted", { kind: "list", filter: "unrouted", page: 1 }],
    ["list retell 2", { kind: "list", filter: "retell", page: 2 }],
    ["LIST VAPI 10", { kind: "list", filter: "vapi", page: 10 }],
    ["list Bland", { kind: "list", filter: "bland", page: 1 }],
    ["list 3", { kind: "list", filter: "all", page: 3 }],
    ["list 007", { kind: "list", filter: "all", page: 7 }],
    ["sync", { kind: "sync" }],
    ["SYNC", { kind: "sync" }],
    ["check", { kind: "check" }],
    [`history ${E}`, { kind: "history", e164: E }],
    ["history 555.123.4567", { kind: "history", e164: E }],
    [`production ${E} on`, { kind: "production", e164: E, on: true }],
    [`production ${E} off`, { kind: "production", e164: E, on: false }],
    [`production ${E} YES`, { kind: "production", e164: E, on: true }],
    [`production ${E} no`, { kind: "production", e164: E, on: false }],
    [`Production ${E} True`, { kind: "production", e164: E, on: true }],
    [`production ${E} false`, { kind: "production", e164: E, on: false }],
    ["production (555) 123-4567 on", { kind: "production", e164: E, on: true }],
    [`production ${SLACK} off`, { kind: "production", e164: E, on: false }],
    [`spare ${E} on`, { kind: "spare", e164: E, on: true }],
    [`Spare ${E} OFF`, { kind: "spare", e164: E, on: false }],
    ["spare (555) 123-4567 no", { kind: "spare", e164: E, on: false }],
    [`test-call ${E}`, { kind: "test_call", e164: E, destination: null }],
    [`TEST-CALL ${E} +15557654321`, { kind: "test_call", e164: E, destination: "+15557654321" }],
    ["test-call (555) 123-4567 (555) 765-4321", { kind: "test_call", e164: E, destination: "+15557654321" }],
    [
      "test-call +1 555 123 4567 +44 20 7123 4567",
      { kind: "test_call", e164: E, destination: "+442071234567" },
    ],
    [
      `test-call ${SLACK} <tel:+15557654321|+1 555-765-4321>`,
      { kind: "test_call", e164: E, destination: "+15557654321" },
    ],
    [`test-call ${SLACK}<tel:+15557654321>`, { kind: "test_call", e164: E, destination: "+15557654321" }],
    [`test-call ${E} 555.765.4321`, { kind: "test_call", e164: E, destination: "+15557654321" }],
  ])("%j", (text, expected) => {
    expect(numbers(text)).toEqual(expected);
  });

  it.each([
    ["status without a number", "status", "`status` needs a number", "Usage: `/numbers status`"],
    ["status with a bad number", "status abc", "“abc” is not a phone number", "Usage: `/numbers status`"],
    [
      "status with extra words",
      `status ${E} now`,
      "Unexpected “now” after the number",
      "Usage: `/numbers status`",
    ],
    ["history without a number", "history", "`history` needs a number", "Usage: `/numbers history`"],
    ["history with extra words", `history ${E} x`, "Unexpected “x”", "Usage: `/numbers history`"],
    ["unknown list filter", "list twilio", "“twilio” is not a list filter", "Usage: `/numbers list`"],
    ["page zero", "list 0", "The page must be a whole number from 1", "Usage: `/numbers list`"],
    [
      "page too big",
      `list ${"9".repeat(30)}`,
      "The page must be a whole number from 1",
      "Usage: `/numbers list`",
    ],
    ["negative page", "list -1", "“-1” is not a list filter", "Usage: `/numbers list`"],
    ["page before filter", "list 2 free", "Unexpected “free” in `list`", "Usage: `/numbers list`"],
    ["extra list words", "list free 2 more", "Unexpected “more” in `list`", "Usage: `/numbers list`"],
    ["sync with arguments", "sync now", "Unexpected “now” after `sync`", "Usage: `/numbers sync`"],
    ["check with arguments", "check all", "Unexpected “all” after `check`", "Usage: `/numbers check`"],
    [
      "production without args",
      "production",
      "needs a number and `on` or `off`",
      "Usage: `/numbers production`",
    ],
    ["production without flag", `production ${E}`, "Say `on` or `off`", "Usage: `/numbers production`"],
    [
      "production bad flag",
      `production ${E} maybe`,
      "“maybe” is not `on` or `off`",
      "Usage: `/numbers production`",
    ],
    ["production flag and more", `production ${E} on now`, "“on now” is not `on` or `off`", "production`"],
    ["production bad number", "production 555 on", "555 is too short", "Usage: `/numbers production`"],
    ["spare without args", "spare", "`spare` needs a number and `on` or `off`", "Usage: `/numbers spare`"],
    ["spare without flag", `spare ${E}`, "Say `on` or `off`", "Usage: `/numbers spare`"],
    ["spare bad flag", `spare ${E} later`, "“later” is not `on` or `off`", "Usage: `/numbers spare`"],
    [
      "test-call without a number",
      "test-call",
      "needs the number to call from",
      "Usage: `/numbers test-call`",
    ],
    ["test-call bad number", "test-call abc", "“abc” is not a phone number", "Usage: `/numbers test-call`"],
    [
      "test-call bad destination",
      `test-call ${E} mom`,
      "Destination: “mom” is not",
      "Usage: `/numbers test-call`",
    ],
    [
      "test-call short destination",
      `test-call ${E} 555 12`,
      "Destination: 555 12 is too short",
      "test-call`",
    ],
    [
      "test-call extra words",
      `test-call ${E} +15557654321 now`,
      "Unexpected “now” after the destination",
      "test-call`",
    ],
    ["unknown subcommand", "frobnicate", "“frobnicate” is not a `/numbers` subcommand", NUMBERS_USAGE],
    ["bare number", E, "`/numbers status +15551234567`", NUMBERS_USAGE],
    ["bare Slack link", SLACK, "`/numbers status +15551234567`", NUMBERS_USAGE],
  ])("invalid: %s", (_label, text, problem, usage) => {
    const message = invalidMessage(numbers(text));
    expect(message).toContain(problem);
    expect(message).toContain(usage);
  });

  it("caps input at 500 characters", () => {
    expect(invalidMessage(numbers(`list ${"x".repeat(600)}`))).toMatch(/^That is too long/);
  });
});

// ---------------------------------------------------------------- properties

const REGIONS = ["US", "GB", "DE", "XX", "", "us"];
const anyText = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.string({ unit: fc.constantFrom(..."+0123456789()-. \t\n<>|tel:\u200F\u202Eaxz?"), maxLength: 80 }),
  fc.string({ unit: "binary-ascii", minLength: 480, maxLength: 620 }),
);
const subcommands = fc.constantFrom(
  "",
  "status ",
  "list ",
  "sync ",
  "check ",
  "history ",
  "production ",
  "test-call ",
  "help ",
  "LIST free ",
  `production ${E} `,
  `test-call ${E} `,
  `test-call ${SLACK} `,
);

type Parsed = AssignCommand | UnassignCommand | NumbersCommand;

function expectWellFormed(result: Parsed): void {
  switch (result.kind) {
    case "invalid":
      expect(result.message.length).toBeGreaterThan(0);
      // User text in messages is neutralised: no Slack control sequences, no raw angle brackets.
      expect(result.message).not.toMatch(/[<>]/);
      break;
    case "number_and_agent":
      expect(isE164(result.e164)).toBe(true);
      expect(result.agentQuery).toBe(result.agentQuery.trim());
      expect(result.agentQuery).not.toBe("");
      expect(result.agentQuery).not.toMatch(/\s\s/);
      break;
    case "test_call":
      expect(isE164(result.e164)).toBe(true);
      if (result.destination !== null) expect(isE164(result.destination)).toBe(true);
      break;
    case "list":
      expect(Number.isSafeInteger(result.page) && result.page >= 1).toBe(true);
      expect(LIST_FILTERS).toContain(result.filter);
      break;
    default:
      if ("e164" in result) expect(isE164(result.e164)).toBe(true);
  }
}

describe("grammar properties", () => {
  it("every parser is total and well-formed on any string and region", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...REGIONS), (text, region) => {
        expectWellFormed(parseAssignCommand(text, region));
        expectWellFormed(parseUnassignCommand(text, region));
        expectWellFormed(parseNumbersCommand(text, region));
      }),
      { numRuns: 1000 },
    );
  });

  it("/numbers subcommands are total on any arguments", () => {
    fc.assert(
      fc.property(subcommands, anyText, fc.constantFrom(...REGIONS), (sub, args, region) => {
        expectWellFormed(parseNumbersCommand(sub + args, region));
      }),
      { numRuns: 1000 },
    );
  });

  it("commands after a valid number are total", () => {
    fc.assert(
      fc.property(fc.constantFrom(E, SLACK, "(555) 123-4567"), anyText, (number, rest) => {
        expectWellFormed(parseAssignCommand(`${number} ${rest}`, "US"));
        expectWellFormed(parseUnassignCommand(`${number} ${rest}`, "US"));
      }),
      { numRuns: 500 },
    );
  });

  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const leading = fc.integer({ min: 2, max: 9 }).map(String);
  const usNumber = fc
    .tuple(leading, digit, digit, leading, digit, digit, fc.array(digit, { minLength: 4, maxLength: 4 }))
    .map(([a, b, c, d, e, f, line]) => ({ area: a + b + c, exchange: d + e + f, line: line.join("") }));
  const renderings = ({ area, exchange, line }: { area: string; exchange: string; line: string }) => {
    const e164 = `+1${area}${exchange}${line}`;
    return [
      e164,
      `+1 ${area} ${exchange} ${line}`,
      `+1 (${area}) ${exchange}-${line}`,
      `(${area}) ${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `${area}${exchange}${line}`,
      `<tel:${e164}|+1 ${area}-${exchange}-${line}>`,
    ];
  };
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_'-]{0,11}$/);
  const agentName = fc.array(word, { minLength: 1, maxLength: 5 });
  const gap = fc.constantFrom(" ", "  ", "\t", " \n ");

  it("assign: <number in any format> <agent words> parses back to the same e164 and agent", () => {
    fc.assert(
      fc.property(usNumber, agentName, gap, gap, (number, words, gap1, gap2) => {
        const e164 = `+1${number.area}${number.exchange}${number.line}`;
        const agentQuery = words.join(" ");
        for (const rendering of renderings(number)) {
          expect(assign(rendering)).toEqual({ kind: "number", e164 });
          expect(unassign(rendering)).toEqual({ kind: "number", e164 });
          expect(numbers(`status ${rendering}`)).toEqual({ kind: "status", e164 });
          const text = `${gap1}${rendering}${gap2}${words.join(gap2)}${gap1}`;
          expect(assign(text)).toEqual({ kind: "number_and_agent", e164, agentQuery });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("test-call: both numbers survive every pair of formats", () => {
    fc.assert(
      fc.property(usNumber, usNumber, fc.nat(6), fc.nat(6), (from, to, i, j) => {
        const fromText = renderings(from)[i]!;
        const toText = renderings(to)[j]!;
        expect(numbers(`test-call ${fromText} ${toText}`)).toEqual({
          kind: "test_call",
          e164: `+1${from.area}${from.exchange}${from.line}`,
          destination: `+1${to.area}${to.exchange}${to.line}`,
        });
      }),
      { numRuns: 300 },
    );
  });

  const INJECTIONS = [
    "'; DROP TABLE numbers; --",
    "Robert'); DROP TABLE Students;--",
    "1' OR '1'='1",
    '" OR ""="',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<@U123>",
    "<@U123|dana>",
    "<!channel>",
    "<!here>",
    "<!subteam^S123>",
    "<#C123|general>",
    "<https://evil.example|click me>",
    "<tel:javascript:alert(1)|call>",
    "*bold* _italic_ ~strike~ `code`",
    "```block```",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-injection probe, not a template
    "${process.env.SLACK_BOT_TOKEN}",
    "{{7*7}}",
    "../../etc/passwd",
    "%00%0d%0a",
    "\u202Eevil\u202C",
    "\u200F\u200Fname",
    "emoji 😀📞☎️",
    "a\u0000b\u0007c",
    "&lt;!channel&gt;",
    '\' UNION SELECT * FROM "ApprovalRequest" --',
  ];
  const injection = fc.oneof(
    fc.constantFrom(...INJECTIONS),
    fc
      .array(fc.constantFrom(...INJECTIONS, "x", "DROP", ";", "<", ">", "@", "!", "&", "'"), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.join("")),
  );

  it("injection strings never parse into a number", () => {
    fc.assert(
      fc.property(injection, fc.constantFrom(...REGIONS), (text, region) => {
        expect(parsePhoneNumber(text, region).ok).toBe(false);
        const results = [
          parseAssignCommand(text, region),
          parseUnassignCommand(text, region),
          ...["status", "history", "production", "test-call", "list"].map((sub) =>
            parseNumbersCommand(`${sub} ${text}`, region),
          ),
          parseNumbersCommand(`test-call ${E} ${text}`, region),
          parseNumbersCommand(`production ${E} ${text}`, region),
          parseUnassignCommand(`${E} ${text}`, region),
        ];
        for (const result of results) {
          expect(result.kind).toBe("invalid");
          expectWellFormed(result);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("injection strings after a valid number come back only verbatim, as the agent query", () => {
    fc.assert(
      fc.property(fc.constantFrom(E, SLACK, "(555) 123-4567"), injection, (number, text) => {
        const result = assign(`${number} ${text}`);
        // Verbatim but for edge whitespace/invisible marks and collapsed inner whitespace.
        const verbatim = text
          .replace(/^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu, "")
          .split(/\s+/)
          .join(" ");
        expect(result).toEqual({ kind: "number_and_agent", e164: E, agentQuery: verbatim });
      }),
      { numRuns: 500 },
    );
  });
});
