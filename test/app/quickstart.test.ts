// The README's "Quick start: Socket Mode", done literally, against the fake Slack and its fake
// Socket Mode server: cp .env.example .env, fill in the Slack values, `set -a && . ./.env && set +a
// && npm start`, wait for "Switchboard is listening", then /numbers help over the socket.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeProviderAccount, type LoopbackProviders, serveOnLoopback } from "../harness/fakeProviders";
import { type FakeSlack, startFakeSlack } from "../harness/fakeSlack";

const root = path.resolve(import.meta.dirname, "../..");
const BOT = "xoxb-quickstart-bot-token";
const APP = "xapp-1-A0TEST-1-quickstart-app-token";

let dir: string | undefined;
let slack: FakeSlack | undefined;
let providers: LoopbackProviders | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  // Only if the test failed before stopping it; the group may be gone already (ESRCH).
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already exited
    }
  }
  await slack?.close();
  await providers?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sets KEY=value in a .env text (replacing the line if the key is there), quoted like the file. */
function fill(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    const line = `${key}="${value}"`;
    const re = new RegExp(`^#?\\s*${key}=.*$`, "m");
    out = re.test(out) ? out.replace(re, line) : `${out}\n${line}\n`;
  }
  return out;
}

describe("README quick start (Socket Mode)", () => {
  it("reaches 'Switchboard is listening' and answers /numbers help over the socket", async () => {
    slack = await startFakeSlack({ token: BOT, appToken: APP });
    const retell = new FakeProviderAccount("retell").addAgent({ id: "agent_front", name: "Front desk" });
    providers = await serveOnLoopback([retell]);

    // A checkout as a new user has it: the tree (node_modules installed), no .env, no data.
    dir = await mkdtemp(path.join(tmpdir(), "switchboard-quickstart-"));
    for (const entry of await readdir(root)) {
      if ([".env", "data", ".git", "coverage"].includes(entry)) continue;
      await symlink(path.join(root, entry), path.join(dir, entry));
    }
    // 4. cp .env.example .env, and fill in the Slack values and a provider key.
    await copyFile(path.join(dir, ".env.example"), path.join(dir, ".env"));
    const port = await freePort();
    const env = fill(await readFile(path.join(dir, ".env"), "utf8"), {
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      RETELL_API_KEY: retell.apiKey,
      RETELL_API_URL: providers.urls.retell,
    });
    await writeFile(path.join(dir, ".env"), env);

    child = spawn("bash", ["--norc", "--noprofile", "-c", "set -a && . ./.env && set +a && npm start"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir, npm_config_update_notifier: "false" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so the whole `npm start` tree can be stopped
    });
    let output = "";
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Switchboard is listening" in:\n${output}`)),
        90_000,
      );
      const onData = (data: Buffer) => {
        output += data;
        if (output.includes("Switchboard is listening")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child!.stdout!.on("data", onData);
      child!.stderr!.on("data", onData);
      child!.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    await listening;
    expect(output).toContain('"mode":"socket"');
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const help = await slack.socket!.deliver("slash_commands", {
      token: "legacy-verification-token",
      team_id: "T0TEST",
      channel_id: "C0OPS",
      user_id: "U0NEWUSER",
      command: "/numbers",
      text: "help",
      api_app_id: "A0TEST",
      response_url: slack.responseUrl(),
      trigger_id: "1.2.3",
    });
    expect(help.acked).toBe(true);
    expect((help.payload as { text: string }).text).toContain("/numbers status");

    // Ctrl-C in the terminal: SIGINT to the whole foreground group (bash, npm, node). Wait until
    // every process holding the output has exited.
    const closed = new Promise<void>((resolve) => child!.once("close", () => resolve()));
    process.kill(-child.pid!, "SIGINT");
    await closed;
    expect(output).toContain('"signal":"SIGINT"');
    expect(output).toContain('"msg":"stopped"');
    expect(slack.socket!.openConnections()).toBe(0);
    expect(output).not.toMatch(/could not start|nhandled|"level":50|"level":60/);
  }, 120_000);
});
