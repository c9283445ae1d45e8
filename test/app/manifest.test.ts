// The two Slack app manifests (HTTP and Socket Mode) against Slack's manifest JSON schema
// (slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json, kept in test/fixtures), and the
// bot scopes against the Web API methods the code actually calls.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.resolve(import.meta.dirname, "../..");

/** The parts of a manifest these tests read (the schema checks the rest). */
interface Manifest {
  features: { slash_commands: { command: string; url?: string }[]; [key: string]: unknown };
  settings: {
    socket_mode_enabled: boolean;
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    [key: string]: unknown;
  };
  oauth_config: { scopes: { bot: string[] } };
  [key: string]: unknown;
}

async function load(name: string): Promise<Manifest> {
  return parse(await readFile(path.join(root, name), "utf8")) as Manifest;
}

async function validator() {
  const schema = JSON.parse(
    await readFile(path.join(root, "test/fixtures/manifest.schema.1.0.0.json"), "utf8"),
  );
  // strict: false — the schema carries Slack's own annotations ("_note", "regex") that are not JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

/** Every key path in an object, e.g. "settings.interactivity.request_url". */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${prefix}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
  return [];
}

/** Scopes a bot token needs per Web API method (docs.slack.dev method pages; views.* need none). */
const SCOPE_OF: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "users.info": ["users:read"],
  "usergroups.users.list": ["usergroups:read"],
  "views.open": [],
  "views.update": [],
  "views.push": [],
  "views.publish": [],
  "auth.test": [],
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.parentPath.includes("generated"))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Web API methods called anywhere in src/ as `client.<family>.<method>(`. */
async function methodsCalled(): Promise<string[]> {
  const found = new Set<string>();
  for (const file of await sourceFiles(path.join(root, "src"))) {
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(
      /\.(chat|views|users|usergroups|conversations|auth|apps|reactions|files)\.([a-zA-Z.]+)\(/g,
    ))
      found.add(`${m[1]}.${m[2]}`);
  }
  return [...found].sort();
}

describe("Slack app manifests", () => {
  it("both pass Slack's manifest schema", async () => {
    const validate = await validator();
    for (const name of ["manifest.yml", "manifest.socket.yml"]) {
      const manifest = await load(name);
      const valid = validate(manifest);
      expect(validate.errors ?? [], name).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("the schema check can fail: an unknown key or a command without a slash is refused", async () => {
    const validate = await validator();
    const manifest = await load("manifest.socket.yml");
    expect(validate({ ...manifest, settings: { ...manifest.settings, socket_mode: true } })).toBe(false);
    const commands = manifest.features.slash_commands.map((c) => ({ ...c, command: "numbers" }));
    expect(validate({ ...manifest, features: { ...manifest.features, slash_commands: commands } })).toBe(
      false,
    );
  });

  it("the Socket Mode manifest enables Socket Mode and has no request URL anywhere", async () => {
    const manifest = await load("manifest.socket.yml");
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const urls = keyPaths(manifest).filter((p) =>
      /(^|\.)(url|request_url|message_menu_options_url)$/.test(p),
    );
    expect(urls).toEqual([]);
    expect(JSON.stringify(manifest)).not.toMatch(/https?:\/\//);
  });

  it("the HTTP manifest sends everything to /slack/events and has Socket Mode off", async () => {
    const manifest = await load("manifest.yml");
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
    ];
    expect(urls).toHaveLength(6);
    for (const url of urls) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });

  it("both declare the same app apart from transport: commands, events, interactivity, scopes", async () => {
    const http = await load("manifest.yml");
    const socket = await load("manifest.socket.yml");
    const strip = (m: Manifest) =>
      JSON.parse(
        JSON.stringify(m, (key, value) =>
          ["url", "request_url", "message_menu_options_url", "socket_mode_enabled"].includes(key)
            ? undefined
            : value,
        ),
      );
    expect(strip(socket)).toEqual(strip(http));
    expect(http.features.slash_commands.map((c) => c.command)).toEqual([
      "/assign-number",
      "/unassign-number",
      "/numbers",
    ]);
    const listeners = await readFile(path.join(root, "src/slack/listeners/index.ts"), "utf8");
    for (const command of ["/assign-number", "/unassign-number", "/numbers"])
      expect(listeners).toContain(`app.command("${command}"`);
    expect(http.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
    expect(listeners).toContain('app.event("app_home_opened"');
  });

  it("asks for exactly the bot scopes the code uses", async () => {
    const methods = await methodsCalled();
    const unknown = methods.filter((m) => !(m in SCOPE_OF));
    expect(unknown, "add the scope of each newly used Web API method to SCOPE_OF").toEqual([]);
    const needed = new Set(methods.flatMap((m) => SCOPE_OF[m] ?? []));
    needed.add("commands"); // slash commands
    // Approval and alert channels may be public channels nobody invited the bot to.
    needed.add("chat:write.public");
    for (const name of ["manifest.yml", "manifest.socket.yml"]) {
      const scopes: string[] = (await load(name)).oauth_config.scopes.bot;
      expect([...scopes].sort(), name).toEqual([...needed].sort());
      // connections:write belongs to the app-level token (SLACK_APP_TOKEN), never to the bot.
      expect(scopes).not.toContain("connections:write");
      expect(scopes).not.toContain("im:write");
    }
  });
});
