// Block Kit limits from /work/shared/reference/slack.md §4, as a pure function the fake Slack (and any test)
// can run over a payload. Each violation reads "<json-pointer>: <rule>", e.g. "/view/title/text: must be <= 24 chars".

export type Surface = "message" | "modal" | "home";

/** chat.update answers `msg_too_long` above this many characters of `text`. */
export const MAX_UPDATE_TEXT = 4000;

const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "context_actions",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "table",
  "video",
]);

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface TextRule {
  max?: number;
  /** Slack accepts only plain_text here (headers, buttons, titles, labels, select options…). */
  plain?: boolean;
  optional?: boolean;
}

class Checker {
  readonly out: string[] = [];

  fail(path: string, rule: string): void {
    this.out.push(`${path}: ${rule}`);
  }

  maxLen(path: string, value: unknown, max: number): void {
    if (value === undefined) return;
    if (typeof value !== "string") this.fail(path, "must be a string");
    else if (value.length > max) this.fail(path, `must be <= ${max} chars`);
  }

  list(path: string, value: unknown, max: number, each: (path: string, item: unknown) => void): void {
    if (!Array.isArray(value)) {
      this.fail(path, "must be an array");
      return;
    }
    if (value.length > max) this.fail(path, `must have <= ${max} items`);
    value.forEach((item, i) => {
      each(`${path}/${i}`, item);
    });
  }

  text(
    path: string,
    t: unknown,
    { max = Number.POSITIVE_INFINITY, plain = false, optional = false }: TextRule,
  ): void {
    if (t === undefined) {
      if (!optional) this.fail(path, "is required");
      return;
    }
    if (!isObj(t)) {
      this.fail(path, "must be a text object");
      return;
    }
    if (plain && t.type !== "plain_text") this.fail(`${path}/type`, "must be plain_text");
    if (!plain && t.type !== "plain_text" && t.type !== "mrkdwn") {
      this.fail(`${path}/type`, "must be plain_text or mrkdwn");
    }
    if (typeof t.text !== "string" || t.text.length === 0)
      this.fail(`${path}/text`, "must be a non-empty string");
    else if (t.text.length > max) this.fail(`${path}/text`, `must be <= ${max} chars`);
  }

  blocks(path: string, blocks: unknown, max: number): void {
    const blockIds = new Set<string>();
    this.list(path, blocks, max, (p, block) => {
      this.block(p, block, blockIds);
    });
  }

  block(path: string, b: unknown, blockIds: Set<string>): void {
    if (!isObj(b)) {
      this.fail(path, "must be an object");
      return;
    }
    if (typeof b.type !== "string" || !BLOCK_TYPES.has(b.type))
      this.fail(`${path}/type`, "unknown block type");
    this.maxLen(`${path}/block_id`, b.block_id, 255);
    if (typeof b.block_id === "string") {
      if (blockIds.has(b.block_id)) this.fail(`${path}/block_id`, "must be unique");
      blockIds.add(b.block_id);
    }
    const actionIds = new Set<string>();
    switch (b.type) {
      case "section":
        if (b.text === undefined && b.fields === undefined) this.fail(path, "must have text or fields");
        this.text(`${path}/text`, b.text, { max: 3000, optional: true });
        if (b.fields !== undefined) {
          this.list(`${path}/fields`, b.fields, 10, (p, f) => {
            this.text(p, f, { max: 2000 });
          });
        }
        if (b.accessory !== undefined) this.element(`${path}/accessory`, b.accessory, actionIds);
        break;
      case "header":
        this.text(`${path}/text`, b.text, { max: 150, plain: true });
        break;
      case "context":
        this.list(`${path}/elements`, b.elements, 10, (p, e) => {
          if (isObj(e) && e.type === "image") return;
          this.text(p, e, {});
        });
        break;
      case "actions":
        this.list(`${path}/elements`, b.elements, 25, (p, e) => {
          this.element(p, e, actionIds);
        });
        break;
      case "input":
        this.text(`${path}/label`, b.label, { max: 2000, plain: true });
        this.text(`${path}/hint`, b.hint, { max: 2000, plain: true, optional: true });
        if (b.element === undefined) this.fail(`${path}/element`, "is required");
        else this.element(`${path}/element`, b.element, actionIds);
        break;
      case "markdown":
        this.maxLen(`${path}/text`, b.text, 12_000);
        break;
    }
  }

  element(path: string, e: unknown, actionIds: Set<string>): void {
    if (!isObj(e)) {
      this.fail(path, "must be an object");
      return;
    }
    this.maxLen(`${path}/action_id`, e.action_id, 255);
    if (typeof e.action_id === "string") {
      if (actionIds.has(e.action_id)) this.fail(`${path}/action_id`, "must be unique within its block");
      actionIds.add(e.action_id);
    }
    this.text(`${path}/placeholder`, e.placeholder, { max: 150, plain: true, optional: true });
    if (e.confirm !== undefined) this.confirm(`${path}/confirm`, e.confirm);
    switch (e.type) {
      case "button":
        this.text(`${path}/text`, e.text, { max: 75, plain: true });
        this.maxLen(`${path}/value`, e.value, 2000);
        this.maxLen(`${path}/url`, e.url, 3000);
        this.maxLen(`${path}/accessibility_label`, e.accessibility_label, 75);
        this.style(`${path}/style`, e.style);
        break;
      case "static_select":
      case "multi_static_select":
        this.selectOptions(path, e);
        break;
      case "overflow":
        this.options(`${path}/options`, e.options, 5, true);
        break;
      case "checkboxes":
      case "radio_buttons":
        this.options(`${path}/options`, e.options, 10, false);
        break;
    }
  }

  selectOptions(path: string, e: Json): void {
    if (e.options !== undefined && e.option_groups !== undefined) {
      this.fail(path, "must not have both options and option_groups");
    } else if (e.option_groups !== undefined) {
      this.list(`${path}/option_groups`, e.option_groups, 100, (p, group) => {
        if (!isObj(group)) {
          this.fail(p, "must be an object");
          return;
        }
        this.text(`${p}/label`, group.label, { max: 75, plain: true });
        this.options(`${p}/options`, group.options, 100, true);
      });
    } else {
      this.options(`${path}/options`, e.options, 100, true);
    }
  }

  options(path: string, options: unknown, max: number, plain: boolean): void {
    this.list(path, options, max, (p, o) => {
      if (!isObj(o)) {
        this.fail(p, "must be an object");
        return;
      }
      this.text(`${p}/text`, o.text, { max: 75, plain });
      this.text(`${p}/description`, o.description, { max: 75, plain, optional: true });
      // 75 is @slack/types 3.2.0's limit; docs may now allow 150 — we keep the stricter rule.
      if (typeof o.value !== "string") this.fail(`${p}/value`, "is required");
      else this.maxLen(`${p}/value`, o.value, 75);
    });
  }

  confirm(path: string, c: unknown): void {
    if (!isObj(c)) {
      this.fail(path, "must be an object");
      return;
    }
    this.text(`${path}/title`, c.title, { max: 100, plain: true, optional: true });
    this.text(`${path}/text`, c.text, { max: 300 });
    this.text(`${path}/confirm`, c.confirm, { max: 30, plain: true, optional: true });
    this.text(`${path}/deny`, c.deny, { max: 30, plain: true, optional: true });
    this.style(`${path}/style`, c.style);
  }

  style(path: string, style: unknown): void {
    if (style !== undefined && style !== "primary" && style !== "danger") {
      this.fail(path, "must be primary or danger");
    }
  }

  view(path: string, v: unknown, surface: "modal" | "home"): void {
    if (!isObj(v)) {
      this.fail(path, "is required");
      return;
    }
    if (v.type !== surface) this.fail(`${path}/type`, `must be ${surface}`);
    if (surface === "modal") {
      this.text(`${path}/title`, v.title, { max: 24, plain: true });
      this.text(`${path}/submit`, v.submit, { max: 24, plain: true, optional: true });
      this.text(`${path}/close`, v.close, { max: 24, plain: true, optional: true });
      const hasInput = Array.isArray(v.blocks) && v.blocks.some((b) => isObj(b) && b.type === "input");
      if (hasInput && v.submit === undefined)
        this.fail(`${path}/submit`, "is required when the view has an input block");
    }
    this.maxLen(`${path}/private_metadata`, v.private_metadata, 3000);
    this.maxLen(`${path}/callback_id`, v.callback_id, 255);
    this.maxLen(`${path}/external_id`, v.external_id, 255);
    this.blocks(`${path}/blocks`, v.blocks, 100);
  }
}

/**
 * Block Kit violations in a payload, shaped as the Web API arguments:
 * - "message": `{ blocks?, ... }` (chat.postMessage / chat.update / chat.postEphemeral / response_url body)
 *   or a bare blocks array; paths start at `/blocks`.
 * - "modal" | "home": `{ view, ... }` or the view object itself; paths start at `/view`.
 * Returns [] when the payload is within the limits.
 */
export function blockKitViolations(surface: Surface, payload: unknown): string[] {
  const check = new Checker();
  if (surface === "message") {
    const blocks = Array.isArray(payload) ? payload : isObj(payload) ? payload.blocks : undefined;
    if (blocks !== undefined) check.blocks("/blocks", blocks, 50);
  } else {
    const view = isObj(payload) && "view" in payload ? payload.view : payload;
    check.view("/view", view, surface);
  }
  return check.out;
}

/** Formats a violation the way Slack reports it in `response_metadata.messages`. */
export function toSlackMessage(violation: string): string {
  const at = violation.indexOf(": ");
  return `[ERROR] ${violation.slice(at + 2)} [json-pointer:${violation.slice(0, at)}]`;
}
