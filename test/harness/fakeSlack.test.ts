import { LogLevel, type types, webApi } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blockKitViolations } from "./blockKitLimits";
import { type FakeSlack, startFakeSlack } from "./fakeSlack";

const TOKEN = "xoxb-test";
const section = (text: string): types.SectionBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const plain = (text: string) => ({ type: "plain_text" as const, text });
const modal = (title: string, blocks: types.KnownBlock[] = [section("hi")]): types.ModalView => ({
  type: "modal",
  callback_id: "assign_number",
  title: plain(title),
  close: plain("Cancel"),
  blocks,
});

let fake: FakeSlack;
let client: webApi.WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({ token: TOKEN });
  client = new webApi.WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The fake's `[ERROR] … [json-pointer:…]` messages would be logged by the client; keep test output quiet.
    logger: {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    },
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("fake Slack Web API", () => {
  it("records chat.postMessage then chat.update with parsed blocks", async () => {
    const posted = await client.chat.postMessage({ channel: "C1", text: "hi", blocks: [section("*hi*")] });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const updated = await client.chat.update({
      channel: "C1",
      ts: posted.ts!,
      text: "bye",
      blocks: [section("bye")],
    });
    expect(updated).toMatchObject({ ok: true, channel: "C1", ts: posted.ts, text: "bye" });

    expect(fake.calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.update"]);
    expect(fake.lastCall("chat.postMessage")?.args).toMatchObject({
      channel: "C1",
      blocks: [section("*hi*")],
    });
    expect(fake.lastCall("chat.update")?.args.blocks).toEqual([section("bye")]);
    expect(fake.lastCall("chat.update")?.args).not.toHaveProperty("token");
    expect(fake.rejections()).toEqual([]);
  });

  it("gives each message a unique, increasing ts and refuses updates to unknown messages", async () => {
    const a = await client.chat.postMessage({ channel: "C1", text: "a" });
    const b = await client.chat.postMessage({ channel: "C1", text: "b" });
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    await expect(client.chat.update({ channel: "C1", ts: "1.000000", text: "x" })).rejects.toMatchObject({
      data: { ok: false, error: "message_not_found" },
    });
    await expect(
      client.chat.update({ channel: "C1", ts: a.ts!, text: "x".repeat(4001) }),
    ).rejects.toMatchObject({
      data: { error: "msg_too_long" },
    });
    expect(fake.rejections()).toHaveLength(1);
  });

  it("rejects a 51-block message with invalid_blocks and records it as rejected", async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    await expect(client.chat.postMessage({ channel: "C1", text: "long", blocks })).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error: "invalid_blocks" },
    });
    const [rejected] = fake.rejections();
    expect(rejected?.method).toBe("chat.postMessage");
    expect(rejected?.rejected).toEqual(["/blocks: must have <= 50 items"]);
  });

  it("rejects a modal whose title is longer than 24 characters", async () => {
    const error = await client.views
      .open({ trigger_id: "1.2.abc", view: modal("x".repeat(30)) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      data: {
        ok: false,
        error: "invalid_arguments",
        response_metadata: { messages: ["[ERROR] must be <= 24 chars [json-pointer:/view/title/text]"] },
      },
    });
    expect(fake.rejections()[0]?.rejected).toEqual(["/view/title/text: must be <= 24 chars"]);
  });

  it("answers views.update with hash_conflict for a stale hash", async () => {
    const opened = await client.views.open({ trigger_id: "1.2.abc", view: modal("Assign number") });
    const { id, hash } = opened.view!;
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), state: { values: {} } });

    const updated = await client.views.update({ view_id: id!, hash: hash!, view: modal("Step 2") });
    expect(updated.view).toMatchObject({ id, title: plain("Step 2") });
    expect(updated.view?.hash).not.toBe(hash);

    await expect(
      client.views.update({ view_id: id!, hash: hash!, view: modal("Step 3") }),
    ).rejects.toMatchObject({
      data: { ok: false, error: "hash_conflict" },
    });
    await expect(client.views.update({ view_id: "V404", view: modal("Nope") })).rejects.toMatchObject({
      data: { error: "not_found" },
    });
  });

  it("waitFor resolves with a call that arrives later, and explains a timeout", async () => {
    const waiting = fake.waitFor("chat.postEphemeral", (c) => c.args.user === "U2");
    setTimeout(() => {
      void client.chat.postEphemeral({ channel: "C1", user: "U1", text: "not this one" });
      void client.chat.postEphemeral({ channel: "C1", user: "U2", text: "this one" });
    }, 20);
    await expect(waiting).resolves.toMatchObject({ args: { user: "U2", text: "this one" } });

    await expect(fake.waitFor("views.open", undefined, 50)).rejects.toThrow(
      /views\.open.*50 ms; methods seen: chat\.postEphemeral/,
    );
  });

  it("surfaces failNext 429 as a rate-limit error, then answers normally", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    await expect(client.chat.postMessage({ channel: "C1", text: "hi" })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    await expect(client.chat.postMessage({ channel: "C1", text: "hi" })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);

    fake.failNext("users.info", { error: "user_not_found" });
    await expect(client.users.info({ user: "U1" })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });
    fake.failNext("auth.test", { status: 500 });
    await expect(client.auth.test()).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
    });
  });

  it("records response_url posts", async () => {
    const url = fake.responseUrl("cmd-1");
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "done", replace_original: false }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    const call = await fake.waitFor("response_url");
    expect(call.args).toEqual({
      response_type: "ephemeral",
      text: "done",
      replace_original: false,
      _url: url,
    });
    expect(fake.responseUrl()).not.toBe(fake.responseUrl());
  });

  it("checks authorization", async () => {
    const post = (headers: Record<string, string>, body = "channel=C1&text=hi") =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
      }).then((r) => r.json());
    expect(await post({})).toEqual({ ok: false, error: "not_authed" });
    expect(await post({ authorization: "Bearer xoxb-other" })).toEqual({ ok: false, error: "invalid_auth" });
    expect(await post({}, `token=${TOKEN}&channel=C1&text=hi`)).toMatchObject({ ok: true });
    await expect(client.apiCall("no.such.method")).rejects.toMatchObject({
      data: { error: "unknown_method" },
    });
  });

  it("tells onCall listeners about every call once it is answered, until they unsubscribe", async () => {
    const seen: string[] = [];
    const stop = fake.onCall((call) => seen.push(`${call.method}:${(call.response as { ok?: boolean }).ok}`));
    await client.chat.postMessage({ channel: "C1", text: "hi" });
    await client.views.open({ trigger_id: "1.2.3", view: modal("Hello") });
    stop();
    await client.chat.postMessage({ channel: "C1", text: "unheard" });
    expect(seen).toEqual(["chat.postMessage:true", "views.open:true"]);
  });

  it("serves users, usergroups, DMs, ephemeral messages and the Home tab", async () => {
    fake.setUser("U1", { phone: "+14155550100", real_name: "Ada" });
    const { user } = await client.users.info({ user: "U1" });
    expect(user).toMatchObject({ id: "U1", real_name: "Ada", profile: { phone: "+14155550100" } });

    fake.setUsergroup("S1", ["U1", "U2"]);
    expect((await client.usergroups.users.list({ usergroup: "S1" })).users).toEqual(["U1", "U2"]);
    await expect(client.usergroups.users.list({ usergroup: "S9" })).rejects.toMatchObject({
      data: { error: "no_such_subteam" },
    });

    const dm = await client.conversations.open({ users: "U1" });
    expect(dm.channel?.id).toMatch(/^D/);
    expect((await client.auth.test()).user_id).toBe("U0BOT");
    expect(
      (await client.chat.postEphemeral({ channel: "C1", user: "U1", text: "psst" })).message_ts,
    ).toBeTruthy();

    const home = { type: "home" as const, blocks: [section("Welcome")] };
    const published = await client.views.publish({ user_id: "U1", view: home });
    const again = await client.views.publish({ user_id: "U1", view: home, hash: published.view!.hash! });
    expect(again.view?.id).toBe(published.view?.id);
    await expect(
      client.views.publish({ user_id: "U1", view: modal("Not home") as never }),
    ).rejects.toMatchObject({
      data: { error: "invalid_arguments" },
    });
    expect(fake.rejections().map((c) => c.rejected)).toEqual([["/view/type: must be home"]]);
  });
});

describe("blockKitViolations", () => {
  it("accepts a reasonable modal", () => {
    const view = {
      ...modal("Assign number", [
        { type: "header", text: plain("Number") },
        {
          type: "input",
          block_id: "agent",
          label: plain("Agent"),
          element: {
            type: "static_select",
            action_id: "pick",
            placeholder: plain("Choose"),
            options: [{ text: plain("Retell"), value: "retell" }],
          },
        },
      ]),
      submit: plain("Assign"),
    };
    expect(blockKitViolations("modal", { view })).toEqual([]);
  });

  it("reports element, option and structure rules with their paths", () => {
    const button = (text: string, extra: object = {}) => ({ type: "button", text: plain(text), ...extra });
    const violations = blockKitViolations("message", {
      blocks: [
        { type: "header", block_id: "b", text: { type: "mrkdwn", text: "*bold*" } },
        {
          type: "actions",
          block_id: "b",
          elements: [
            button("x".repeat(76), { style: "green", action_id: "a" }),
            button("ok", { action_id: "a", confirm: { text: plain("y".repeat(301)) } }),
            {
              type: "overflow",
              options: Array.from({ length: 6 }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` })),
            },
            {
              type: "static_select",
              options: [{ text: plain("long"), value: "v".repeat(76), description: plain("d".repeat(76)) }],
            },
          ],
        },
        { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) },
        { type: "section", text: { type: "markdown", text: "" } },
        { type: "sections" },
      ],
    });
    expect(violations).toEqual([
      "/blocks/0/text/type: must be plain_text",
      "/blocks/1/block_id: must be unique",
      "/blocks/1/elements/0/text/text: must be <= 75 chars",
      "/blocks/1/elements/0/style: must be primary or danger",
      "/blocks/1/elements/1/action_id: must be unique within its block",
      "/blocks/1/elements/1/confirm/text/text: must be <= 300 chars",
      "/blocks/1/elements/2/options: must have <= 5 items",
      "/blocks/1/elements/3/options/0/description/text: must be <= 75 chars",
      "/blocks/1/elements/3/options/0/value: must be <= 75 chars",
      "/blocks/2/fields: must have <= 10 items",
      "/blocks/3/text/type: must be plain_text or mrkdwn",
      "/blocks/3/text/text: must be a non-empty string",
      "/blocks/4/type: unknown block type",
    ]);
  });

  it("requires submit on a modal with inputs and bounds metadata", () => {
    const view = {
      ...modal("Edit", [{ type: "input", label: plain("Phone"), element: { type: "plain_text_input" } }]),
      private_metadata: "m".repeat(3001),
    };
    expect(blockKitViolations("modal", view)).toEqual([
      "/view/submit: is required when the view has an input block",
      "/view/private_metadata: must be <= 3000 chars",
    ]);
  });
});
