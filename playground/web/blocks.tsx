// Block Kit on the page. Text blocks (section, context, header, divider, …: mrkdwn, emoji, dates,
// mentions) are drawn by slack-blocks-to-jsx, which renders them as Slack does but has no
// interactivity; the interactive parts Switchboard uses (buttons with confirm dialogs, overflow
// menus, selects with typeahead, text inputs, radio buttons) are drawn here and send what Slack sends.
import { type ReactNode, useEffect, useRef, useState } from "react";
import { type Block as LibraryBlock, Message } from "slack-blocks-to-jsx";
import type { Block, Choice, Json, PgUser, PgView, SuggestResponse } from "../protocol";

export interface Interact {
  users: PgUser[];
  /** A click or pick on element `actionId` of block `blockId`. */
  act(blockId: string, actionId: string, choice?: Choice | null): void;
  /** Shows a confirm dialog object, then runs `then` if confirmed. */
  confirm(dialog: Json, then: () => void): void;
}

/** What a modal's input blocks need: their values, a setter, the typeahead and the errors. */
export interface Inputs {
  values: PgView["values"];
  set(blockId: string, actionId: string, value: Json): void;
  suggest(blockId: string, actionId: string, query: string): Promise<SuggestResponse>;
  errors: Record<string, string>;
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const textOf = (t: unknown): string => (isObj(t) && typeof t.text === "string" ? t.text : "");

/** A run of non-interactive blocks, drawn by the library. */
export function Display({ blocks, users }: { blocks: Block[]; users: PgUser[] }) {
  return (
    <Message
      blocks={blocks as unknown as LibraryBlock[]}
      name="Switchboard"
      logo=""
      theme="light"
      withoutWrapper
      data={{ users: users.map((u) => ({ id: u.id, name: u.realName })) }}
    />
  );
}

/** Plain mrkdwn (a message's fallback text, a confirm dialog's text) through the same renderer. */
export function Mrkdwn({ text, users }: { text: string; users: PgUser[] }) {
  if (!text.trim()) return null;
  return <Display blocks={[{ type: "section", text: { type: "mrkdwn", text } }]} users={users} />;
}

export function Blocks({
  blocks,
  interact,
  inputs,
}: {
  blocks: Block[];
  interact: Interact;
  inputs?: Inputs;
}) {
  const out: ReactNode[] = [];
  let run: Block[] = [];
  const flush = () => {
    if (run.length) out.push(<Display key={`text-${out.length}`} blocks={run} users={interact.users} />);
    run = [];
  };
  for (const block of blocks) {
    const blockId = block.block_id ?? "";
    if (block.type === "actions" && Array.isArray(block.elements)) {
      flush();
      out.push(
        <div key={blockId} className="pg-actions" data-block-id={blockId}>
          {block.elements.filter(isObj).map((element) => (
            <Element
              key={String(element.action_id)}
              element={element}
              blockId={blockId}
              interact={interact}
            />
          ))}
        </div>,
      );
    } else if (block.type === "input" && isObj(block.element)) {
      flush();
      out.push(<InputBlock key={blockId} block={block} interact={interact} inputs={inputs} />);
    } else if (block.type === "section" && isObj(block.accessory)) {
      flush();
      const { accessory, ...text } = block;
      out.push(
        <div key={blockId} className="pg-section" data-block-id={blockId}>
          <div className="pg-section-text">
            <Display blocks={[text as Block]} users={interact.users} />
          </div>
          <Element element={accessory as Json} blockId={blockId} interact={interact} />
        </div>,
      );
    } else {
      run.push(block);
    }
  }
  flush();
  return <div className="pg-blocks">{out}</div>;
}

function Element({ element, blockId, interact }: { element: Json; blockId: string; interact: Interact }) {
  const actionId = String(element.action_id ?? "");
  switch (element.type) {
    case "button": {
      const fire = () => interact.act(blockId, actionId);
      const style = element.style === "primary" || element.style === "danger" ? element.style : "";
      return (
        <button
          type="button"
          className={`pg-btn ${style}`}
          onClick={() => (isObj(element.confirm) ? interact.confirm(element.confirm, fire) : fire())}
        >
          {textOf(element.text)}
        </button>
      );
    }
    case "overflow":
      return (
        <Overflow
          options={optionsOf(element)}
          onPick={(choice) => {
            const option = optionsOf(element).find((o) => o.value === choice.value);
            const fire = () => interact.act(blockId, actionId, choice);
            if (isObj(element.confirm) && option) interact.confirm(element.confirm, fire);
            else fire();
          }}
        />
      );
    case "static_select":
      return (
        <select
          className="pg-select"
          value=""
          onChange={(e) => {
            const option = optionsOf(element).find((o) => o.value === e.target.value);
            if (option) interact.act(blockId, actionId, option);
          }}
        >
          <option value="">{textOf(element.placeholder) || "Choose…"}</option>
          {optionsOf(element).map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      );
    default:
      return <span className="pg-muted">[{String(element.type)} is not shown in the playground]</span>;
  }
}

function optionsOf(element: Json): Choice[] {
  const flat = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...flat, ...grouped].filter(isObj).map((o) => ({ value: String(o.value), text: textOf(o.text) }));
}

function Overflow({ options, onPick }: { options: Choice[]; onPick: (choice: Choice) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="pg-overflow">
      <button
        type="button"
        className="pg-btn pg-overflow-button"
        aria-label="More actions"
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open && (
        <>
          <button
            type="button"
            className="pg-backdrop-clear"
            aria-label="Close the menu"
            tabIndex={-1}
            onClick={() => setOpen(false)}
          />
          <div className="pg-menu" role="menu">
            {options.map((o) => (
              <button
                type="button"
                role="menuitem"
                key={o.value}
                onClick={() => {
                  setOpen(false);
                  onPick(o);
                }}
              >
                {o.text}
              </button>
            ))}
          </div>
        </>
      )}
    </span>
  );
}

function InputBlock({ block, interact, inputs }: { block: Block; interact: Interact; inputs?: Inputs }) {
  const element = block.element as Json;
  const blockId = block.block_id ?? "";
  const actionId = String(element.action_id ?? "");
  const type = String(element.type);
  const value = inputs?.values[blockId]?.[actionId];
  const error = inputs?.errors[blockId];
  const set = (v: Json) => inputs?.set(blockId, actionId, { type, ...v });
  const pick = (choice: Choice | null) => {
    set({
      selected_option: choice
        ? { text: { type: "plain_text", text: choice.text }, value: choice.value }
        : null,
    });
    if (block.dispatch_action === true) interact.act(blockId, actionId, choice);
  };
  const selected = isObj(value?.selected_option)
    ? { value: String(value.selected_option.value), text: textOf(value.selected_option.text) }
    : null;
  let control: ReactNode;
  if (type === "plain_text_input") {
    const common = {
      value: typeof value?.value === "string" ? value.value : "",
      placeholder: textOf(element.placeholder),
      maxLength: typeof element.max_length === "number" ? element.max_length : undefined,
      "aria-label": textOf(block.label),
      onChange: (e: { target: { value: string } }) => set({ value: e.target.value }),
    };
    control = element.multiline ? (
      <textarea className="pg-text" {...common} />
    ) : (
      <input className="pg-text" {...common} />
    );
  } else if (type === "external_select") {
    control = (
      <ExternalSelect
        label={textOf(block.label)}
        placeholder={textOf(element.placeholder)}
        minQueryLength={typeof element.min_query_length === "number" ? element.min_query_length : 3}
        selected={selected}
        suggest={(query) => inputs?.suggest(blockId, actionId, query) ?? Promise.resolve({})}
        onPick={pick}
      />
    );
  } else if (type === "static_select") {
    control = (
      <select
        className="pg-select"
        aria-label={textOf(block.label)}
        value={selected?.value ?? ""}
        onChange={(e) => pick(optionsOf(element).find((o) => o.value === e.target.value) ?? null)}
      >
        <option value="">{textOf(element.placeholder) || "Choose…"}</option>
        {optionsOf(element).map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    );
  } else if (type === "radio_buttons") {
    control = (
      <div className="pg-radios" role="radiogroup" aria-label={textOf(block.label)}>
        {optionsOf(element).map((o) => (
          <label key={o.value}>
            <input
              type="radio"
              name={blockId}
              checked={selected?.value === o.value}
              onChange={() => pick(o)}
            />{" "}
            {o.text}
          </label>
        ))}
      </div>
    );
  } else {
    control = <span className="pg-muted">[{type} is not shown in the playground]</span>;
  }
  return (
    <div className="pg-input" data-block-id={blockId}>
      <div className="pg-label">
        {textOf(block.label)}
        {block.optional === true && <span className="pg-muted"> (optional)</span>}
      </div>
      {control}
      {isObj(block.hint) && <div className="pg-hint">{textOf(block.hint)}</div>}
      {error && (
        <div className="pg-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** A typeahead select: every keystroke (past min_query_length) asks the app through block_suggestion. */
function ExternalSelect(props: {
  label: string;
  placeholder: string;
  minQueryLength: number;
  selected: Choice | null;
  suggest: (query: string) => Promise<SuggestResponse>;
  onPick: (choice: Choice) => void;
}) {
  const { minQueryLength } = props;
  const suggest = useRef(props.suggest);
  suggest.current = props.suggest;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [answer, setAnswer] = useState<SuggestResponse | null>(null);
  const asked = useRef(0);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) search.current?.focus();
  }, [open]);
  useEffect(() => {
    if (!open || query.length < minQueryLength) return setAnswer(null);
    const ticket = ++asked.current;
    const timer = setTimeout(
      () => {
        suggest.current(query).then(
          (result) => ticket === asked.current && setAnswer(result),
          (error: Error) => ticket === asked.current && setAnswer({ error: error.message }),
        );
      },
      query ? 200 : 0,
    );
    return () => clearTimeout(timer);
  }, [open, query, minQueryLength]);

  const choose = (choice: Choice) => {
    setOpen(false);
    setQuery("");
    props.onPick(choice);
  };
  const option = (o: { text: { text: string }; value: string }) => (
    <button
      type="button"
      role="option"
      aria-selected={false}
      key={o.value}
      onClick={() => choose({ value: o.value, text: o.text.text })}
    >
      {o.text.text}
    </button>
  );
  const empty =
    answer &&
    !answer.error &&
    !answer.options?.length &&
    !answer.option_groups?.some((g) => g.options.length);
  return (
    <div className="pg-combo">
      <button
        type="button"
        className="pg-combo-button"
        aria-label={props.label}
        onClick={() => setOpen(!open)}
      >
        {props.selected ? (
          props.selected.text
        ) : (
          <span className="pg-placeholder">{props.placeholder || "Choose…"}</span>
        )}
        <span aria-hidden>▾</span>
      </button>
      {open && (
        <>
          <button
            type="button"
            className="pg-backdrop-clear"
            aria-label="Close the menu"
            tabIndex={-1}
            onClick={() => setOpen(false)}
          />
          <div className="pg-combo-menu" role="listbox">
            <input
              className="pg-text"
              ref={search}
              value={query}
              placeholder="Type to search…"
              aria-label={`Search ${props.label}`}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
            />
            {!answer && query.length >= minQueryLength && <div className="pg-muted">Loading…</div>}
            {!answer && query.length < minQueryLength && (
              <div className="pg-muted">Type at least {minQueryLength} characters.</div>
            )}
            {answer?.error && <div className="pg-error">{answer.error}</div>}
            {empty && <div className="pg-muted">No matches.</div>}
            {answer?.options?.map(option)}
            {answer?.option_groups?.map((group) => (
              <div key={group.label.text} className="pg-group">
                <div className="pg-group-label">{group.label.text}</div>
                {group.options.map(option)}
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
