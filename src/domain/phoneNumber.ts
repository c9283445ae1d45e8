// Phone number parsing for everything a user types or Slack renders. Pure: no Slack, no I/O, never throws.
//
// Accepted: E.164 (`+15551234567`), international with separators (`+1 (555) 123-4567`), national numbers
// of the default region (`(555) 123-4567`, `555.123.4567`, `5551234567`), `00`-prefixed international
// (`0044 20 7123 4567`), Slack's auto-link (`<tel:+15551234567|+1 555-123-4567>`) and a bare `tel:+1555…`.
// Rejections carry a reason written for the Slack user: it names what is wrong and how to type it instead.

import {
  type CountryCode,
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
  ParseError,
  type PhoneNumber,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from "libphonenumber-js";
import examples from "libphonenumber-js/mobile/examples";

export type ParsedNumber = { ok: true; e164: string } | { ok: false; reason: string };

/** Longest number text we consider (after unwrapping a Slack `<tel:…>` link). */
const MAX_NUMBER_CHARS = 40;

/** Characters a typed number may consist of: digits, a plus, and the usual visual separators. */
const NUMBER_CHARS = /^[0-9+().\-\s]+$/;

/** Invisible formatting characters (RTL/LTR marks, zero-width spaces, BOM) that copy-paste drags along. */
const FORMAT_CHARS = /\p{Cf}/gu;
const CONTROL_CHARS = /\p{Cc}/gu;

/** Slack's rendering of a phone number it auto-linked: `<tel:TARGET>` or `<tel:TARGET|LABEL>`. */
const SLACK_TEL_LINK = /^<tel:([^|>]*)(?:\|[^>]*)?>$/i;
const BARE_TEL = /^tel:/i;

const E164 = /^\+[1-9][0-9]{1,14}$/;

/** True when `s` is syntactically E.164: `+`, a non-zero first digit, 2–15 digits in all, nothing else. */
export function isE164(s: string): boolean {
  return typeof s === "string" && E164.test(s);
}

/**
 * Display forms already worked out: formatting costs 10–50 µs a number (libphonenumber tries every
 * country of the calling code), and a picker shows 100 numbers per keystroke. Bounded, cleared when full.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 20_000;

/** International display form (`+1 555 123 4567`); anything that is not a parseable E.164 comes back as is. */
export function formatPhoneNumber(e164: string): string {
  if (!isE164(e164)) return e164;
  const known = formatted.get(e164);
  if (known !== undefined) return known;
  let display = e164;
  try {
    display = parsePhoneNumberWithError(e164).formatInternational();
  } catch {
    // not parseable: shown as stored
  }
  if (formatted.size >= FORMATTED_MAX) formatted.clear();
  formatted.set(e164, display);
  return display;
}

export function parsePhoneNumber(input: string, defaultRegion: string): ParsedNumber {
  try {
    return parse(input, defaultRegion);
  } catch {
    // Defensive only: every known path returns a reason itself.
    const text = typeof input === "string" ? input : "";
    return { ok: false, reason: `${quoteUserText(text)} is not a phone number: ${howToType(defaultRegion)}` };
  }
}

function parse(input: string, defaultRegion: string): ParsedNumber {
  const region = toRegion(defaultRegion);
  const text = typeof input === "string" ? input.replace(FORMAT_CHARS, "").trim() : "";

  // Unwrap Slack's auto-link (the target after `tel:` is the number; the label is display only) or `tel:`.
  let candidate = text;
  const link = SLACK_TEL_LINK.exec(text);
  if (link) candidate = (link[1] ?? "").trim();
  else if (BARE_TEL.test(text)) candidate = text.slice(4).trim();

  if (candidate === "") {
    return { ok: false, reason: `No phone number given: ${howToType(region)}` };
  }
  if (candidate.length > MAX_NUMBER_CHARS) {
    return {
      ok: false,
      reason: `${quoteUserText(candidate)} is too long to be a phone number (${MAX_NUMBER_CHARS} characters at most): ${howToType(region)}`,
    };
  }
  // Letters (vanity numbers, extensions, names), `#`, `*`, mentions, markup: none of it is a number we can dial.
  if (!NUMBER_CHARS.test(candidate) || !/[0-9]/.test(candidate)) {
    return { ok: false, reason: notANumber(candidate, region) };
  }

  // From here on `candidate` holds only digits, `+`, separators and whitespace, so echoing it is Slack-safe.
  const shown = candidate.replace(/\s+/g, " ");
  let normalized = shown;
  // `(+44) 20 7123 4567`: parentheses carry no meaning once a `+` is inside them.
  if (/^\(\s*\+/.test(normalized)) normalized = normalized.replace(/[()]/g, "");
  // `00` is the international prefix almost everywhere but not in the default region's metadata for e.g. US
  // (whose prefix is 011, which libphonenumber already handles); no national number starts with `00`.
  const digitsAndPlus = normalized.replace(/[^0-9+]/g, "");
  if (digitsAndPlus.startsWith("00")) normalized = `+${digitsAndPlus.slice(2)}`;

  let phone: PhoneNumber;
  try {
    // `extract: false`: the whole text must be the number, no "call me at …" style extraction.
    phone = parsePhoneNumberWithError(normalized, { defaultCountry: region, extract: false });
  } catch (error) {
    const code = error instanceof ParseError ? error.message : "NOT_A_NUMBER";
    return { ok: false, reason: lengthOrCountryReason(code, shown, normalized, region) };
  }

  // isPossible() rather than isValid(): isPossible checks only the digit count for the country, isValid also
  // checks the number against the country's allocated ranges. Fictional 555 numbers (`+1 555 123 4567`), which
  // test fixtures, provider sandboxes and demo accounts use, and numbers from ranges opened after the bundled
  // metadata was built are not "valid" but are real-enough inputs; the provider is the authority on whether a
  // number exists in the account, so we only refuse what cannot be a phone number at all.
  if (!phone.isPossible()) {
    let code: string | undefined;
    try {
      code = validatePhoneNumberLength(normalized, { defaultCountry: region });
    } catch {
      code = undefined;
    }
    return { ok: false, reason: lengthOrCountryReason(code ?? "NOT_POSSIBLE", shown, normalized, region) };
  }
  const e164 = phone.number;
  if (!isE164(e164)) return { ok: false, reason: notANumber(shown, region) };
  return { ok: true, e164 };
}

function lengthOrCountryReason(
  code: string,
  shown: string,
  normalized: string,
  region: CountryCode | undefined,
): string {
  switch (code) {
    case "TOO_SHORT":
      return `${shown} is too short to be a phone number`;
    case "TOO_LONG":
      return `${shown} is too long to be a phone number`;
    case "INVALID_LENGTH":
      return `${shown} has the wrong number of digits for a phone number: check for a missing or extra digit`;
    case "INVALID_COUNTRY":
      if (normalized.startsWith("+")) {
        return `${shown} has no valid country code: after the + comes the country code, e.g. +1 for the US or +44 for the UK`;
      }
      return `${shown} has no country code: type it with + and the country code, e.g. +15551234567`;
    case "NOT_POSSIBLE":
      return `${shown} cannot be a phone number: check the digits and the country code`;
    default:
      return notANumber(shown, region);
  }
}

function notANumber(text: string, region: string | undefined): string {
  return `${quoteUserText(text)} is not a phone number: ${howToType(region)}`;
}

/** "type it as +15551234567 or (555) 123-4567", in the default region's own national format. */
function howToType(defaultRegion: string | undefined): string {
  const region = toRegion(defaultRegion ?? "");
  if (!region) return "type it as +15551234567 (+ and the country code)";
  try {
    if (getCountryCallingCode(region) === "1") return "type it as +15551234567 or (555) 123-4567";
    const example = getExampleNumber(region, examples);
    if (example) return `type it as ${example.number} or ${example.formatNational()}`;
  } catch {
    // fall through to the generic hint
  }
  return "type it as +15551234567 (+ and the country code)";
}

function toRegion(defaultRegion: string): CountryCode | undefined {
  if (typeof defaultRegion !== "string") return undefined;
  const upper = defaultRegion.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

/**
 * User text echoed back in a reason, made harmless for Slack mrkdwn: `<` and `>` become look-alike quotes so
 * `<!channel>` or `<@U123>` cannot notify anyone (and there is nothing to double-escape), backticks cannot
 * break the usage line's code spans, control characters are dropped, long text is cut.
 */
export function quoteUserText(text: string): string {
  const cleaned = text
    .replace(CONTROL_CHARS, " ")
    .replace(FORMAT_CHARS, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/</g, "‹")
    .replace(/>/g, "›")
    .replace(/`/g, "'");
  const chars = Array.from(cleaned);
  const cut = chars.length > MAX_NUMBER_CHARS ? `${chars.slice(0, MAX_NUMBER_CHARS).join("")}…` : cleaned;
  return `“${cut}”`;
}
