// The playground page: a small Slack — channels, the app's DM and Home tab, modals, a slash-command
// composer and a person switcher — plus the simulated provider accounts. State arrives whole over
// server-sent events; every action is a POST that the server turns into what Slack would send.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import type {
  ActionRequest,
  Choice,
  Json,
  PgMessage,
  PgState,
  PgUser,
  PgView,
  SuggestResponse,
} from "../protocol";
import { post } from "./api";
import { Blocks, type Inputs, type Interact, Mrkdwn, textOf } from "./blocks";
import { ProvidersPanel } from "./panel";

/** Where the person is looking: a channel, their DM with the app, or its Home tab. */
type Place = string | "home" | "dm";

const COMMAND_HINTS: [string, string][] = [
  ["/assign-number", "modal: pick a number and an agent"],
  ["/assign-number +1 415 555 0101 Support West", "move the production number: needs an approver"],
  ["/unassign-number", "modal of assigned numbers"],
  ["/numbers status +1 628 555 0103", "live checklist (this one drifted)"],
  ["/numbers check", "run the routing check now"],
  ["/numbers list unrouted", "inventory"],
  ["/numbers sync", "read every provider now"],
  ["/numbers test-call +1 415 555 0102", "a call, followed to its outcome"],
  ["/numbers history +1 415 555 0101", "audit trail"],
  ["/numbers help", "everything else"],
];

function useWorkspace(): PgState | null {
  const [state, setState] = useState<PgState | null>(null);
  useEffect(() => {
    const events = new EventSource("/events");
    events.onmessage = (e) => setState(JSON.parse(e.data as string) as PgState);
    return () => events.close();
  }, []);
  return state;
}

function initialParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

function App() {
  const state = useWorkspace();
  const [me, setMe] = useState(initialParam("user") ?? "U0DANA");
  const [place, setPlace] = useState<Place>(initialParam("in") ?? "C0OPS");
  const [toasts, setToasts] = useState<{ id: number; text: string }[]>([]);
  const [confirm, setConfirm] = useState<{ dialog: Json; then: () => void } | null>(null);
  const seen = useRef<Record<string, number>>({});
  const firstNotice = useRef<number | null>(null);
  const shownNotices = useRef(new Set<number>());

  const toast = useCallback((text: string) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-3), { id, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 8000);
  }, []);
  const run = useCallback(
    (promise: Promise<unknown>) => {
      promise.catch((error: Error) => toast(error.message));
    },
    [toast],
  );

  useEffect(() => {
    const url = new URL(location.href);
    url.searchParams.set("user", me);
    url.searchParams.set("in", place);
    history.replaceState(null, "", url);
  }, [me, place]);

  // The app is told each time someone opens its Home tab (app_home_opened).
  useEffect(() => {
    if (place === "home") run(post("/api/home", { user: me }));
  }, [place, me, run]);

  // Notices from the workspace (a command that failed, an app that did not answer) become toasts.
  useEffect(() => {
    if (!state) return;
    if (firstNotice.current === null) firstNotice.current = state.notices.at(-1)?.id ?? 0;
    for (const n of state.notices) {
      if (n.id <= firstNotice.current || shownNotices.current.has(n.id)) continue;
      shownNotices.current.add(n.id);
      if (n.user === me || n.user === "all") toast(n.text);
    }
  }, [state, me, toast]);

  const visible = useMemo(
    () => (state ? state.messages.filter((m) => !m.visibleTo || m.visibleTo === me) : []),
    [state, me],
  );
  const placeOf = (m: PgMessage) => (m.channel === me ? "dm" : m.channel);
  const current = place === "home" ? [] : visible.filter((m) => placeOf(m) === place);
  const lastId = current.at(-1)?.id ?? 0;
  const list = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    seen.current[`${me}:${place}`] = Math.max(seen.current[`${me}:${place}`] ?? 0, lastId);
  }, [me, place, lastId]);
  const shown = useRef("");
  // Like Slack: the newest message at the bottom, in view, unless the person scrolled up to read.
  // App Home is a page, read from the top.
  useEffect(() => {
    if (shown.current !== `${me}:${place}`) {
      pinned.current = place !== "home";
      if (list.current) list.current.scrollTop = 0;
    }
    shown.current = `${me}:${place}`;
    if (pinned.current && list.current) list.current.scrollTop = list.current.scrollHeight;
  });

  if (!state) return <div className="pg-loading">Connecting to the playground…</div>;
  const person = state.users.find((u) => u.id === me);
  if (!person) {
    // An unknown ?user= in the address: be the first person instead.
    queueMicrotask(() => setMe(state.users[0]!.id));
    return null;
  }
  const unread = (p: Place) =>
    visible.filter(
      (m) => placeOf(m) === p && m.id > (seen.current[`${me}:${p}`] ?? 0) && m.from !== me && p !== place,
    ).length;
  const modals = state.modals[me] ?? [];
  const channel = state.channels.find((c) => c.id === place);
  const commandChannel = place === "home" || place === "dm" ? me : place;

  const messageInteract = (messageId: number): Interact => ({
    users: state.users,
    act: (blockId, actionId, choice) =>
      run(
        post("/api/action", { user: me, surface: { kind: "message", messageId }, blockId, actionId, choice }),
      ),
    confirm: (dialog, then) => setConfirm({ dialog, then }),
  });
  const home = state.homes[me];

  return (
    <div className="pg-app">
      <header className="pg-top">
        <div className="pg-brand">
          Switchboard <span>playground</span>
        </div>
        <div className="pg-people">
          <span className="pg-muted">Act as</span>
          {state.users.map((u) => (
            <button
              type="button"
              key={u.id}
              className={`pg-person${u.id === me ? " active" : ""}`}
              title={u.role}
              onClick={() => setMe(u.id)}
            >
              <Avatar user={u} />
              <span>
                {u.realName}
                <small>{u.role}</small>
              </span>
            </button>
          ))}
        </div>
      </header>
      <nav className="pg-side" aria-label="Conversations">
        <div className="pg-side-title">Channels</div>
        {state.channels.map((c) => (
          <SideLink key={c.id} active={place === c.id} unread={unread(c.id)} onClick={() => setPlace(c.id)}>
            # {c.name}
          </SideLink>
        ))}
        <div className="pg-side-title">Apps</div>
        <SideLink active={place === "home"} unread={0} onClick={() => setPlace("home")}>
          Switchboard · Home
        </SideLink>
        <SideLink active={place === "dm"} unread={unread("dm")} onClick={() => setPlace("dm")}>
          Switchboard · Messages
        </SideLink>
        <div className="pg-side-note">
          You are <b>{person.realName}</b>: {person.role}.
        </div>
      </nav>
      <main className="pg-main">
        <div className="pg-channel-head">
          <h1>
            {channel
              ? `# ${channel.name}`
              : place === "home"
                ? "Switchboard · Home"
                : "Switchboard · Messages"}
          </h1>
          <p className="pg-muted">
            {channel?.purpose ??
              (place === "home"
                ? "App Home: the overview, published for you when you open it."
                : "Your DM with the app: approval outcomes and test-call progress.")}
          </p>
        </div>
        <div
          className="pg-messages"
          aria-live="polite"
          ref={list}
          onScroll={(e) => {
            const el = e.currentTarget;
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {place === "home" ? (
            home ? (
              <div className="pg-home">
                <Blocks
                  blocks={home.blocks}
                  interact={{
                    users: state.users,
                    act: (blockId, actionId, choice) =>
                      run(
                        post("/api/action", {
                          user: me,
                          surface: { kind: "view", viewId: home.id },
                          blockId,
                          actionId,
                          choice,
                        }),
                      ),
                    confirm: (dialog, then) => setConfirm({ dialog, then }),
                  }}
                />
              </div>
            ) : (
              <p className="pg-muted">Opening App Home…</p>
            )
          ) : current.length === 0 ? (
            <p className="pg-muted pg-empty">Nothing here yet.</p>
          ) : (
            current.map((m) => (
              <MessageRow key={m.id} message={m} users={state.users} interact={messageInteract(m.id)} />
            ))
          )}
        </div>
        <Composer onSend={(text) => post("/api/command", { user: me, channel: commandChannel, text })} />
      </main>
      <ProvidersPanel providers={state.providers} run={run} />
      {modals.length > 0 && (
        <ModalLayer
          key={modals.at(-1)!.id}
          view={modals.at(-1)!}
          me={me}
          users={state.users}
          run={run}
          setConfirm={setConfirm}
          depth={modals.length}
        />
      )}
      {confirm && (
        <ConfirmDialog
          dialog={confirm.dialog}
          users={state.users}
          onClose={(yes) => {
            setConfirm(null);
            if (yes) confirm.then();
          }}
        />
      )}
      <div className="pg-toasts" role="status">
        {toasts.map((t) => (
          <div key={t.id} className="pg-toast">
            {t.text}
          </div>
        ))}
      </div>
    </div>
  );
}

function Avatar({ user }: { user: PgUser | "bot" }) {
  if (user === "bot") return <span className="pg-avatar bot">S</span>;
  return <span className={`pg-avatar u-${user.name}`}>{user.realName[0]}</span>;
}

function SideLink(props: {
  active: boolean;
  unread: number;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className={`pg-side-link${props.active ? " active" : ""}${props.unread ? " unread" : ""}`}
      onClick={props.onClick}
    >
      <span>{props.children}</span>
      {props.unread > 0 && <span className="pg-badge">{props.unread}</span>}
    </button>
  );
}

function time(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function MessageRow({
  message,
  users,
  interact,
}: {
  message: PgMessage;
  users: PgUser[];
  interact: Interact;
}) {
  const author = message.from === "bot" ? "bot" : users.find((u) => u.id === message.from);
  if (!author) return null;
  return (
    <article className={`pg-message${message.visibleTo ? " ephemeral" : ""}`} data-message-id={message.id}>
      <Avatar user={author} />
      <div className="pg-message-body">
        <div className="pg-message-head">
          <b>{author === "bot" ? "Switchboard" : author.realName}</b>
          {author === "bot" && <span className="pg-app-badge">APP</span>}
          <span className="pg-muted">{time(message.at)}</span>
          {message.visibleTo && <span className="pg-muted">· Only visible to you</span>}
          {message.edited && <span className="pg-muted">(edited)</span>}
        </div>
        {author !== "bot" ? (
          <code className="pg-command">{message.text}</code>
        ) : message.blocks.length ? (
          <Blocks blocks={message.blocks} interact={interact} />
        ) : (
          <Mrkdwn text={message.text} users={users} />
        )}
      </div>
    </article>
  );
}

function Composer({ onSend }: { onSend: (text: string) => Promise<unknown> }) {
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const suggestions = text.startsWith("/")
    ? COMMAND_HINTS.filter(([c]) => c.startsWith(text.split(" ")[0]!) && c !== text)
    : [];
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError("");
    try {
      await onSend(text);
      setText("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="pg-composer">
      {suggestions.length > 0 && text.length > 0 && (
        <div className="pg-suggestions">
          {suggestions.slice(0, 6).map(([command, hint]) => (
            <button type="button" key={command} onClick={() => setText(command)}>
              <code>{command}</code> <span className="pg-muted">{hint}</span>
            </button>
          ))}
        </div>
      )}
      <div className="pg-try">
        <span className="pg-muted">Try:</span>
        {COMMAND_HINTS.slice(0, 6).map(([command, hint]) => (
          <button type="button" key={command} title={hint} onClick={() => setText(command)}>
            {command}
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <input
          className="pg-text"
          aria-label="Message"
          placeholder="Type a slash command: /assign-number, /unassign-number, /numbers help"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="pg-btn primary" disabled={busy || !text.trim()}>
          Send
        </button>
      </form>
      {error && (
        <div className="pg-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function ModalLayer(props: {
  view: PgView;
  me: string;
  users: PgUser[];
  depth: number;
  run: (p: Promise<unknown>) => void;
  setConfirm: (c: { dialog: Json; then: () => void }) => void;
}) {
  const { view, me, run } = props;
  const edits = useRef<PgView["values"]>({});
  const [, rerender] = useState(0);
  /** The view's values with what the person entered on top (for inputs still in the view). */
  const values = (): PgView["values"] => {
    const merged: PgView["values"] = {};
    for (const [blockId, actions] of Object.entries(view.values)) {
      merged[blockId] = {};
      for (const [actionId, value] of Object.entries(actions)) {
        const edited = edits.current[blockId]?.[actionId];
        merged[blockId][actionId] = edited && edited.type === value.type ? edited : value;
      }
    }
    return merged;
  };
  const inputs: Inputs = {
    values: values(),
    errors: view.errors,
    set: (blockId, actionId, value) => {
      edits.current = { ...edits.current, [blockId]: { ...edits.current[blockId], [actionId]: value } };
      rerender((n) => n + 1);
    },
    suggest: (blockId, actionId, query) =>
      post<SuggestResponse>("/api/suggest", {
        user: me,
        viewId: view.id,
        blockId,
        actionId,
        query,
        values: values(),
      }),
  };
  const interact: Interact = {
    users: props.users,
    act: (blockId: string, actionId: string, choice?: Choice | null) => {
      const body: ActionRequest = {
        user: me,
        surface: { kind: "view", viewId: view.id },
        blockId,
        actionId,
        choice: choice ?? null,
        values: values(),
      };
      run(post("/api/action", body));
    },
    confirm: (dialog, then) => props.setConfirm({ dialog, then }),
  };
  const close = () => run(post("/api/close", { user: me, viewId: view.id }));
  return (
    <div className="pg-overlay">
      <div className="pg-modal" role="dialog" aria-modal="true" aria-label={view.title?.text ?? "Modal"}>
        <div className="pg-modal-head">
          <h2>{view.title?.text}</h2>
          {props.depth > 1 && <span className="pg-muted">({props.depth} views open)</span>}
          <button type="button" className="pg-x" aria-label="Close" onClick={close}>
            ×
          </button>
        </div>
        <div className="pg-modal-body">
          {view.errors[""] && (
            <div className="pg-error" role="alert">
              {view.errors[""]}
            </div>
          )}
          <Blocks blocks={view.blocks} interact={interact} inputs={inputs} />
        </div>
        <div className="pg-modal-foot">
          <button type="button" className="pg-btn" onClick={close}>
            {view.close?.text ?? "Close"}
          </button>
          {view.submit && (
            <button
              type="button"
              className="pg-btn primary"
              disabled={view.submitting}
              onClick={() => run(post("/api/submit", { user: me, viewId: view.id, values: values() }))}
            >
              {view.submitting ? "…" : view.submit.text}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function ConfirmDialog({
  dialog,
  users,
  onClose,
}: {
  dialog: Json;
  users: PgUser[];
  onClose: (yes: boolean) => void;
}) {
  const style = dialog.style === "danger" ? "danger" : "primary";
  return (
    <div className="pg-overlay confirm">
      <div className="pg-modal small" role="alertdialog" aria-label={textOf(dialog.title) || "Are you sure?"}>
        <div className="pg-modal-head">
          <h2>{textOf(dialog.title) || "Are you sure?"}</h2>
        </div>
        <div className="pg-modal-body">
          <Mrkdwn text={textOf(dialog.text)} users={users} />
        </div>
        <div className="pg-modal-foot">
          <button type="button" className="pg-btn" onClick={() => onClose(false)}>
            {textOf(dialog.deny) || "Cancel"}
          </button>
          <button type="button" className={`pg-btn ${style}`} onClick={() => onClose(true)}>
            {textOf(dialog.confirm) || "Yes"}
          </button>
        </div>
      </div>
    </div>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
