import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPhoneNumber, isE164, parsePhoneNumber, quoteUserText } from "../../src/domain/phoneNumber";

const US_HINT = "type it as +15551234567 or (555) 123-4567";

describe("parsePhoneNumber: accepted forms", () => {
  it.each([
    ["E.164", "+15551234567", "+15551234567"],
    ["international with spaces", "+1 555 123 4567", "+15551234567"],
    ["international with parentheses and dash", "+1 (555) 123-4567", "+15551234567"],
    ["international with dashes", "+1-555-123-4567", "+15551234567"],
    ["international with dots", "+1.555.123.4567", "+15551234567"],
    ["national with parentheses", "(555) 123-4567", "+15551234567"],
    ["national without space after parenthesis", "(555)123-4567", "+15551234567"],
    ["national dotted", "555.123.4567", "+15551234567"],
    ["national dashed", "555-123-4567", "+15551234567"],
    ["national digits only", "5551234567", "+15551234567"],
    ["national with trunk 1", "1 555 123 4567", "+15551234567"],
    ["00-prefixed international", "0044 20 7123 4567", "+442071234567"],
    ["00-prefixed international, compact", "00442071234567", "+442071234567"],
    ["00-prefixed NANP", "001 555 123 4567", "+15551234567"],
    ["US 011 international prefix", "011 44 20 7123 4567", "+442071234567"],
    ["UK international", "+44 20 7123 4567", "+442071234567"],
    ["UK with (0)", "+44 (0) 20 7123 4567", "+442071234567"],
    ["parenthesised country code", "(+44) 20 7123 4567", "+442071234567"],
    ["Slack auto-link", "<tel:+15551234567|+1 555-123-4567>", "+15551234567"],
    ["Slack auto-link without label", "<tel:+15551234567>", "+15551234567"],
    ["Slack auto-link with national target", "<tel:5551234567|555-123-4567>", "+15551234567"],
    ["Slack auto-link, upper-case scheme", "<TEL:+15551234567|+1 555-123-4567>", "+15551234567"],
    ["bare tel:", "tel:+15551234567", "+15551234567"],
    ["bare tel: with separators", "tel:+1-555-123-4567", "+15551234567"],
    ["surrounding whitespace", "  \t+15551234567\n ", "+15551234567"],
    ["copy-pasted bidi marks", "\u202A+1 555 123 4567\u202C", "+15551234567"],
    ["zero-width space", "+1555\u200B1234567", "+15551234567"],
    ["toll-free", "+1 800 123 4567", "+18001234567"],
  ])("%s: %j → %s", (_label, input, e164) => {
    expect(parsePhoneNumber(input, "US")).toEqual({ ok: true, e164 });
  });

  it("uses the default region for national numbers", () => {
    expect(parsePhoneNumber("07400 123456", "GB")).toEqual({ ok: true, e164: "+447400123456" });
    expect(parsePhoneNumber("020 7123 4567", "GB")).toEqual({ ok: true, e164: "+442071234567" });
    expect(parsePhoneNumber("07400 123456", "gb")).toEqual({ ok: true, e164: "+447400123456" });
  });

  it("accepts international numbers whatever the default region, even an unknown one", () => {
    for (const region of ["US", "GB", "DE", "XX", ""]) {
      expect(parsePhoneNumber("+15551234567", region)).toEqual({ ok: true, e164: "+15551234567" });
    }
  });

  it("accepts fictional 555 numbers (isPossible, not isValid)", () => {
    expect(parsePhoneNumber("+15550100000", "US")).toEqual({ ok: true, e164: "+15550100000" });
  });
});

describe("parsePhoneNumber: rejected forms", () => {
  const rejects = (input: string, region = "US") => {
    const result = parsePhoneNumber(input, region);
    if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${result.e164}`);
    return result.reason;
  };

  it("letters", () => {
    expect(rejects("abc")).toBe(`“abc” is not a phone number: ${US_HINT}`);
  });

  it.each([
    ["vanity letters", "1-800-FLOWERS"],
    ["extension", "+1 555 123 4567 ext 12"],
    ["extension with x", "5551234567x12"],
    ["hash", "555#123#4567"],
    ["star", "*555*1234567"],
    ["Slack user mention", "<@U123>"],
    ["Slack channel broadcast", "<!channel>"],
    ["Slack web link", "<https://example.com|+15551234567>"],
    ["Slack mailto link", "<mailto:a@b.c|a@b.c>"],
    ["tel link with letters in the target", "<tel:+1555CALLNOW|x>"],
    ["tel link followed by text", "<tel:+15551234567|+1 555-123-4567> sales"],
    ["SQL injection", "5551234567'; DROP TABLE numbers; --"],
    ["HTML", "<b>5551234567</b>"],
    ["emoji", "☎️ 5551234567"],
    ["fullwidth digits", "５５５１２３４５６７"],
    ["only separators", "() - ."],
    ["only a plus", "+"],
    ["two pluses", "++15551234567"],
    ["plus at the end", "5551234567+"],
  ])("%s: %j", (_label, input) => {
    expect(rejects(input)).toMatch(/is not a phone number: type it as/);
  });

  it.each([
    ["empty", ""],
    ["whitespace", "   \n\t "],
    ["bidi marks only", "\u200F\u200E"],
    ["empty Slack link", "<tel:|call>"],
    ["bare tel: with nothing", "tel:"],
  ])("%s: %j", (_label, input) => {
    expect(rejects(input)).toBe(`No phone number given: ${US_HINT}`);
  });

  it("too short", () => {
    expect(rejects("+1 555 123")).toBe("+1 555 123 is too short to be a phone number");
    expect(rejects("555-1234")).toBe("555-1234 is too short to be a phone number");
    expect(rejects("+1")).toBe("+1 is too short to be a phone number");
    expect(rejects("<tel:+1555123|+1 555 123>")).toBe("+1555123 is too short to be a phone number");
  });

  it("too long for its country", () => {
    expect(rejects("+1 555 123 4567 8")).toBe("+1 555 123 4567 8 is too long to be a phone number");
    expect(rejects("02071234567")).toMatch(/is too long to be a phone number/);
  });

  it("no valid country code", () => {
    expect(rejects("+99 123 456 7890")).toMatch(/^\+99 123 456 7890 has no valid country code: /);
    expect(rejects("+999 1234567")).toMatch(/has no valid country code/);
    expect(rejects("00 99 123 456 7890")).toMatch(/has no valid country code/);
  });

  it("national number without a usable default region", () => {
    expect(rejects("5551234567", "XX")).toMatch(/^5551234567 has no country code: type it with \+/);
    expect(rejects("5551234567", "")).toMatch(/has no country code/);
  });

  it("over 40 characters", () => {
    const input = "1".repeat(41);
    expect(rejects(input)).toMatch(/is too long to be a phone number \(40 characters at most\)/);
    expect(rejects(`+1 ${"5 ".repeat(20)}`)).toMatch(/too long/);
  });

  it("counts 40 characters on the number, not on Slack's link around it", () => {
    const link = "<tel:+442071234567|+44 (0) 20 7123 4567 — London office>";
    expect(link.length).toBeGreaterThan(40);
    expect(parsePhoneNumber(link, "US")).toEqual({ ok: true, e164: "+442071234567" });
  });

  it("gives the example in the default region's own format", () => {
    expect(rejects("abc", "GB")).toBe(
      "“abc” is not a phone number: type it as +447400123456 or 07400 123456",
    );
    expect(rejects("abc", "XX")).toBe(
      "“abc” is not a phone number: type it as +15551234567 (+ and the country code)",
    );
  });

  it("never echoes Slack control sequences or backticks back", () => {
    for (const input of ["<!channel>", "<@U123|dana>", "<!here> `x`", "<#C123>"]) {
      const reason = rejects(input);
      expect(reason).not.toMatch(/[<>`]/);
    }
  });

  it("survives huge and hostile input quickly", () => {
    const started = Date.now();
    expect(parsePhoneNumber("5".repeat(1_000_000), "US").ok).toBe(false);
    expect(parsePhoneNumber(`<tel:${" ".repeat(100_000)}`, "US").ok).toBe(false);
    expect(parsePhoneNumber(`${" \t".repeat(100_000)}x`, "US").ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("does not throw on non-string input at runtime", () => {
    expect(parsePhoneNumber(undefined as unknown as string, "US").ok).toBe(false);
    expect(parsePhoneNumber(null as unknown as string, undefined as unknown as string).ok).toBe(false);
    expect(parsePhoneNumber("+15551234567", 42 as unknown as string)).toEqual({
      ok: true,
      e164: "+15551234567",
    });
  });
});

describe("formatPhoneNumber", () => {
  it.each([
    ["+15551234567", "+1 555 123 4567"],
    ["+442071234567", "+44 20 7123 4567"],
    ["+18001234567", "+1 800 123 4567"],
    ["not a number", "not a number"],
    ["5551234567", "5551234567"],
    ["", ""],
    ["+99912345", "+99912345"],
  ])("%j → %j", (input, display) => {
    expect(formatPhoneNumber(input)).toBe(display);
  });
});

describe("isE164", () => {
  it.each([
    ["+15551234567", true],
    ["+442071234567", true],
    ["+123456789012345", true],
    ["+1234567890123456", false],
    ["+05551234567", false],
    ["15551234567", false],
    ["+1 555 123 4567", false],
    ["+1555123456a", false],
    ["", false],
    ["+", false],
    [" +15551234567", false],
    ["+15551234567\n", false],
  ])("%j → %s", (input, expected) => {
    expect(isE164(input)).toBe(expected);
  });
});

describe("quoteUserText", () => {
  it("quotes, neutralises Slack markup and cuts long text", () => {
    expect(quoteUserText("abc")).toBe("“abc”");
    expect(quoteUserText("<!channel> `x`")).toBe("“‹!channel› 'x'”");
    expect(quoteUserText("a\u0000b\n\nc")).toBe("“a b c”");
    expect(quoteUserText("x".repeat(100))).toBe(`“${"x".repeat(40)}…”`);
  });
});

// ---------------------------------------------------------------- properties

const regions = fc.constantFrom("US", "GB", "DE", "IN", "FR", "XX", "", "us");
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(..."+0123456789()-. <>|tel:\u200F\u202E\u0000x"), maxLength: 60 }),
);

describe("parsePhoneNumber properties", () => {
  it("is total: any string, any region → a result; accepted numbers are E.164", () => {
    fc.assert(
      fc.property(anyText, fc.oneof(regions, fc.string()), (input, region) => {
        const result = parsePhoneNumber(input, region);
        if (result.ok) expect(isE164(result.e164)).toBe(true);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("is total inside Slack's tel wrapper too", () => {
    fc.assert(
      fc.property(anyText, anyText, (target, label) => {
        const result = parsePhoneNumber(`<tel:${target}|${label}>`, "US");
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });

  it("reasons never carry Slack control sequences or backticks", () => {
    fc.assert(
      fc.property(anyText, regions, (input, region) => {
        const result = parsePhoneNumber(input, region);
        if (!result.ok) expect(result.reason).not.toMatch(/[<>`]/);
      }),
      { numRuns: 500 },
    );
  });

  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const leading = fc.integer({ min: 2, max: 9 }).map(String);
  /** +1NXXNXXXXXX as [area, exchange, line]. */
  const usNumber = fc
    .tuple(leading, digit, digit, leading, digit, digit, fc.array(digit, { minLength: 4, maxLength: 4 }))
    .map(([a, b, c, d, e, f, line]) => ({ area: a + b + c, exchange: d + e + f, line: line.join("") }));

  it("every rendering of a valid US number parses to the same E.164", () => {
    fc.assert(
      fc.property(usNumber, ({ area, exchange, line }) => {
        const e164 = `+1${area}${exchange}${line}`;
        const renderings = [
          e164,
          `+1 ${area} ${exchange} ${line}`,
          `+1 (${area}) ${exchange}-${line}`,
          `(${area}) ${exchange}-${line}`,
          `${area}.${exchange}.${line}`,
          `${area}-${exchange}-${line}`,
          `${area}${exchange}${line}`,
          `1 ${area} ${exchange} ${line}`,
          `001 ${area} ${exchange} ${line}`,
          `<tel:${e164}|+1 ${area}-${exchange}-${line}>`,
          `<tel:${e164}>`,
          `tel:${e164}`,
          `  ${e164}\n`,
        ];
        for (const rendering of renderings) {
          expect(parsePhoneNumber(rendering, "US"), rendering).toEqual({ ok: true, e164 });
        }
        expect(formatPhoneNumber(e164)).toBe(`+1 ${area} ${exchange} ${line}`);
      }),
      { numRuns: 300 },
    );
  });

  it("parsing is idempotent: a parsed E.164 and its display form parse to themselves", () => {
    fc.assert(
      fc.property(anyText, regions, (input, region) => {
        const first = parsePhoneNumber(input, region);
        if (!first.ok) return;
        expect(parsePhoneNumber(first.e164, region)).toEqual(first);
        expect(parsePhoneNumber(formatPhoneNumber(first.e164), region)).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it("letters anywhere (outside Slack's tel wrapper) are rejected", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789 +()-."), maxLength: 15 }),
        fc.constantFrom(..."abcxyzABCXYZéß"),
        fc.string({ unit: fc.constantFrom(..."0123456789 +()-."), maxLength: 15 }),
        (before, letter, after) => {
          expect(parsePhoneNumber(`${before}${letter}${after}`, "US").ok).toBe(false);
        },
      ),
    );
  });
});
