// What every listener may use: the use-case services (never the database, the configuration or the
// provider clients), the logger the error mapper reports to, and the region typed numbers are read in.
import type { Logger } from "../../logger";
import type { Services } from "../../services";

export interface ListenerDeps {
  services: Services;
  logger: Logger;
  /** DEFAULT_REGION: how national number formats are read. */
  defaultRegion: string;
}
