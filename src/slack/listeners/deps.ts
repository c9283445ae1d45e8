import type { Config } from "../../config";
import type { Logger } from "../../logger";
import type { Services } from "../../services";

/** What every listener may use: configuration, a logger and the services (never the database). */
export interface ListenerDeps {
  config: Config;
  logger: Logger;
  services: Services;
}
