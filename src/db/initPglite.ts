// Child-process entry (see initialiseInChild): initialises an embedded database folder, prints the
// migrations it applied as JSON, and exits, taking initdb's memory with it.
import { initialiseFolder } from "./pglite";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: initPglite <data dir>\n");
  process.exit(2);
}
try {
  process.stdout.write(`${JSON.stringify(await initialiseFolder(dataDir))}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
