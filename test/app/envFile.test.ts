// .env.example, loaded the two ways the README gives: a POSIX shell (`set -a; . ./.env; set +a`)
// and Node's own `--env-file`. Both must load it unchanged, without an error, every value intact.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
let dir: string;

/** What the file says, read literally: KEY=VALUE lines, one pair of surrounding quotes removed. */
function written(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    values[match[1]!] = /^"(.*)"$/.exec(raw)?.[1] ?? /^'(.*)'$/.exec(raw)?.[1] ?? raw;
  }
  return values;
}

/** A child that prints the named variables as JSON (absent ones as null). */
const PRINT =
  "const keys=JSON.parse(process.argv[1]); console.log(JSON.stringify(Object.fromEntries(keys.map(k=>[k, process.env[k] ?? null]))))";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "switchboard-env-"));
  await copyFile(path.join(root, ".env.example"), path.join(dir, ".env"));
  // Files a stray glob would expand to (and run as a command), as in a real checkout.
  await writeFile(path.join(dir, "package.json"), "{}");
  await writeFile(path.join(dir, "README.md"), "readme");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(".env.example", () => {
  it("sets every variable of the README's configuration", async () => {
    const values = written(await readFile(path.join(root, ".env.example"), "utf8"));
    expect(values.CHECK_SCHEDULE).toBe("*/15 * * * *");
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining([
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "PORT",
        "DATA_DIR",
      ]),
    );
  });

  it("loads with `set -a; . ./.env; set +a` in a shell: no error, every value intact", async () => {
    const expected = written(await readFile(path.join(dir, ".env"), "utf8"));
    const keys = JSON.stringify(Object.keys(expected));
    // --norc: bash reads ~/.bashrc when it thinks it was started remotely; this test is about .env alone.
    const { stdout, stderr } = await run(
      "bash",
      ["--norc", "--noprofile", "-c", 'set -a; . ./.env; set +a; node -e "$0" "$1"', PRINT, keys],
      { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
    );
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("loads with sh (dash) too", async () => {
    const expected = written(await readFile(path.join(dir, ".env"), "utf8"));
    const { stdout, stderr } = await run(
      "sh",
      ["-c", 'set -a; . ./.env; set +a; node -e "$0" "$1"', PRINT, JSON.stringify(Object.keys(expected))],
      { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
    );
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("loads with `node --env-file=.env`: no error, the same values", async () => {
    const expected = written(await readFile(path.join(dir, ".env"), "utf8"));
    const { stdout, stderr } = await run(
      process.execPath,
      ["--env-file=.env", "-e", PRINT, JSON.stringify(Object.keys(expected))],
      { cwd: dir, env: { PATH: process.env.PATH ?? "" } },
    );
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("is a valid Socket Mode configuration once loaded", async () => {
    const loaded = written(await readFile(path.join(dir, ".env"), "utf8"));
    const config = loadConfig(loaded);
    expect(config.slack.appToken).toBe(loaded.SLACK_APP_TOKEN);
    expect(config.checkSchedule).toBe("*/15 * * * *");
  });
});
