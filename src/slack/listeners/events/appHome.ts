// App Home: published when a user opens it, and republished for recent viewers after changes
// (debounced, so a burst of changes costs one views.publish per viewer).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs, webApi } from "@slack/bolt";
import { homeView } from "../../views/homeView";
import type { ListenerDeps } from "../deps";

type Args = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

const RECENT_MS = 24 * 3_600_000;
const MAX_VIEWERS = 50;

export class HomeRefresher {
  private readonly viewers = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ListenerDeps,
    private readonly client: webApi.WebClient,
    private readonly debounceMs = 1000,
  ) {
    deps.services.changes.subscribe(() => this.schedule());
  }

  async publish(userId: string): Promise<void> {
    this.viewers.delete(userId);
    this.viewers.set(userId, Date.now());
    while (this.viewers.size > MAX_VIEWERS) this.viewers.delete(this.viewers.keys().next().value!);
    await this.client.views.publish({
      user_id: userId,
      view: homeView(await this.deps.services.overview.load()),
    });
  }

  private schedule(): void {
    if (this.timer || this.viewers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refreshAll();
    }, this.debounceMs);
    this.timer.unref();
  }

  private async refreshAll(): Promise<void> {
    const cutoff = Date.now() - RECENT_MS;
    const view = homeView(await this.deps.services.overview.load());
    for (const [userId, at] of this.viewers) {
      if (at < cutoff) {
        this.viewers.delete(userId);
        continue;
      }
      await this.client.views
        .publish({ user_id: userId, view })
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error, userId }, "could not refresh App Home"),
        );
    }
  }
}

export function appHomeOpened(refresher: HomeRefresher) {
  return async ({ event }: Args): Promise<void> => {
    if (event.tab !== "home") return;
    await refresher.publish(event.user);
  };
}
