// One dispatch for every listener: a lookup by command name, action id, callback id or event type,
// run as a single Bolt global middleware. Bolt itself runs every registered listener's matcher chain
// on every request (each step copies the request's arguments), which with two dozen listeners was
// the largest share of Switchboard's CPU per request over bare Bolt (issue 16, ack latency). The
// listeners are Bolt listeners all the same: they get the arguments Bolt would hand them.
import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";

type Listener<A> = (args: A & AllMiddlewareArgs) => Promise<void>;
// biome-ignore lint/suspicious/noExplicitAny: a table of listeners of every kind, each typed where registered
type AnyListener = Listener<any>;

/** What the listeners register on: the subset of Bolt's App they use, with the same argument types. */
export interface ListenerRegistry {
  /** The app's Web API client (for listeners that post outside a request). */
  readonly client: App["client"];
  command(name: string, listener: Listener<SlackCommandMiddlewareArgs>): void;
  action<A extends BlockAction = BlockAction>(
    id: string | { action_id: string; type: "block_actions" },
    listener: Listener<SlackActionMiddlewareArgs<A>>,
  ): void;
  options(actionId: string, listener: Listener<SlackOptionsMiddlewareArgs<"block_suggestion">>): void;
  event<T extends string>(type: T, listener: Listener<SlackEventMiddlewareArgs<T>>): void;
  view(callbackId: string, listener: Listener<SlackViewMiddlewareArgs<ViewSubmitAction>>): void;
}

export class ListenerRouter implements ListenerRegistry {
  private readonly commands = new Map<string, AnyListener>();
  private readonly actions = new Map<string, AnyListener>();
  private readonly suggestions = new Map<string, AnyListener>();
  private readonly events = new Map<string, AnyListener>();
  private readonly submissions = new Map<string, AnyListener>();

  constructor(readonly client: App["client"]) {}

  command(name: string, listener: Listener<SlackCommandMiddlewareArgs>): void {
    add(this.commands, name, listener);
  }
  action<A extends BlockAction = BlockAction>(
    id: string | { action_id: string; type: "block_actions" },
    listener: Listener<SlackActionMiddlewareArgs<A>>,
  ): void {
    add(this.actions, typeof id === "string" ? id : id.action_id, listener);
  }
  options(actionId: string, listener: Listener<SlackOptionsMiddlewareArgs<"block_suggestion">>): void {
    add(this.suggestions, actionId, listener);
  }
  event<T extends string>(type: T, listener: Listener<SlackEventMiddlewareArgs<T>>): void {
    add(this.events, type, listener);
  }
  view(callbackId: string, listener: Listener<SlackViewMiddlewareArgs<ViewSubmitAction>>): void {
    add(this.submissions, callbackId, listener);
  }

  /** The listener for a request, as Bolt's matchers would pick it; undefined when none is registered. */
  listenerFor(args: AnyMiddlewareArgs): AnyListener | undefined {
    const a = args as {
      command?: { command?: string };
      action?: { action_id?: string };
      options?: { action_id?: string };
      event?: { type?: string };
      view?: { callback_id?: string };
      body: { type?: string };
    };
    if (a.command) return this.commands.get(a.command.command ?? "");
    if (a.event) return this.events.get(a.event.type ?? "");
    if (a.options)
      return a.body.type === "block_suggestion" ? this.suggestions.get(a.options.action_id ?? "") : undefined;
    if (a.action)
      return a.body.type === "block_actions" ? this.actions.get(a.action.action_id ?? "") : undefined;
    if (a.view)
      return a.body.type === "view_submission" ? this.submissions.get(a.view.callback_id ?? "") : undefined;
    return undefined;
  }

  /** Installs the dispatch as the app's last global middleware. */
  install(app: App): void {
    app.use(async (args) => {
      const listener = this.listenerFor(args);
      // Nothing registered: leave it to Bolt (which warns about unhandled requests as before).
      if (!listener) return args.next();
      await listener({ ...args, next: async () => {} });
    });
  }
}

function add(table: Map<string, AnyListener>, key: string, listener: AnyListener): void {
  if (table.has(key)) throw new Error(`a listener for ${key} is already registered`);
  table.set(key, listener);
}
