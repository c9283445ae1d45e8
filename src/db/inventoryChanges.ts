// The database's change notifications (LISTEN on the channel the picker_change_notifications
// migration's triggers NOTIFY), for the in-memory picker index. Prisma cannot LISTEN, so this is the
// one place that talks to the driver directly: PGlite in process, or a dedicated pg connection.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { InventoryChanges } from "../services/ports";

export const INVENTORY_CHANNEL = "switchboard_inventory";

/** PGlite delivers a notification before the statement that caused it resolves: nothing is ever lost. */
export function pgliteInventoryChanges(pglite: PGlite): InventoryChanges {
  return {
    async follow({ onChange }) {
      const unlisten = await pglite.listen(INVENTORY_CHANNEL, onChange);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
  };
}

/** One connection per follower; a dropped connection is reported once, and the follower listens anew. */
export function postgresInventoryChanges(driver: typeof pg, url: string): InventoryChanges {
  return {
    async follow({ onChange, onLost }) {
      const client = new driver.Client({
        connectionString: url,
        keepAlive: true,
        connectionTimeoutMillis: 5_000,
      });
      let ended = false;
      const end = async () => {
        ended = true;
        await client.end().catch(() => undefined);
      };
      const lost = (error: Error) => {
        if (ended) return;
        void end();
        onLost(error);
      };
      client.on("error", lost);
      client.on("end", () => lost(new Error("the listening connection closed")));
      client.on("notification", (message) => {
        if (message.channel === INVENTORY_CHANNEL) onChange();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${INVENTORY_CHANNEL}`);
      } catch (error) {
        await end();
        throw error;
      }
      return end;
    },
  };
}
