// Living with Switchboard: App Home, the /numbers toolbox, and logs that never leak a secret.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { BOT_TOKEN, SIGNING_SECRET } from "../harness/testApp";
import { buttonValue, lastReply, numberRow, startWorld, textOf, type World } from "./support";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
});

const openHome = (user = "U0VIEWER") =>
  world.app.send.event({ type: "app_home_opened", user, channel: "D0HOME", tab: "home", event_ts: "1.2" });

describe("App Home", () => {
  it("shows numbers per provider, unrouted numbers with production first, pending approvals, sync time and health", async () => {
    const { app } = world;
    await app.db.phoneNumber.updateMany({ where: { e164: "+14155550103" }, data: { isProduction: true } });
    const res = await openHome();
    expect(res.status).toBe(200);
    const published = await app.slack.waitFor("views.publish");
    expect((published.args as { user_id: string }).user_id).toBe("U0VIEWER");
    const text = textOf(published);
    expect(text).toContain("*Retell* — 3 numbers: 1 assigned, *2 unrouted*");
    expect(text).toContain("*Vapi* — 1 numbers: 0 assigned, *1 unrouted*");
    expect(text).toContain("healthy");
    expect(text).toContain("*Unrouted numbers* (4)");
    expect(text.indexOf(":rotating_light: `+1 415 555 0103`")).toBeLessThan(text.indexOf("+1 415 555 0101"));
    expect(text).toContain("*Pending approvals* (0)");
  });

  it("is refreshed for its viewer after a change", async () => {
    const { app } = world;
    await openHome();
    await app.slack.waitFor("views.publish");
    app.slack.reset();
    await app.send.command("/assign-number", "+14155550101 Sales");
    await lastReply(app, (t) => t.includes("now routes to"));
    const refreshed = await app.slack.waitFor("views.publish", (c) => textOf(c).includes("2 assigned"), 5000);
    expect((refreshed.args as { user_id: string }).user_id).toBe("U0VIEWER");
  });
});

describe("/numbers toolbox", () => {
  it("help lists every subcommand in one grammar", async () => {
    const res = await world.app.send.command("/numbers", "help");
    for (const sub of ["status", "list", "sync", "check", "history", "production", "test-call"])
      expect(res.text).toContain(sub);
  });

  it("list filters by state and provider, and pages", async () => {
    const { app } = world;
    await app.send.command("/numbers", "list free");
    let text = textOf(await lastReply(app));
    expect(text).toContain("4 numbers");
    expect(text).not.toContain("0102");
    app.slack.reset();
    await app.send.command("/numbers", "list vapi");
    text = textOf(await lastReply(app));
    expect(text).toContain("1 number,");
    expect(text).toContain("628 555 0101");
    app.slack.reset();
    await app.send.command("/numbers", "list assigned");
    expect(textOf(await lastReply(app))).toContain("Front desk");
    app.slack.reset();
    await app.send.command("/numbers", "list unrouted 9");
    expect(textOf(await lastReply(app))).toContain("page 1 of 1");
  });

  it("history shows the audit trail of a number, latest first", async () => {
    const { app } = world;
    await app.send.command("/assign-number", "+14155550102 Sales");
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await lastReply(app, (t) => t.includes("now routes to"));
    app.slack.reset();
    await app.send.command("/numbers", "history +14155550102");
    const text = textOf(await lastReply(app));
    expect(text).toContain("*reassign* (applied, button)");
    expect(text).toContain("*reassign* (pending, slash_command)");
    expect(text.indexOf("(applied, button)")).toBeLessThan(text.indexOf("(pending, slash_command)"));
  });

  it("an unknown subcommand answers with the usage", async () => {
    const res = await world.app.send.command("/numbers", "frobnicate");
    expect(res.text).toContain("/numbers");
  });
});

describe("logs", () => {
  it("carry a request id per Slack request and never contain a configured secret", async () => {
    const { app, retell, vapi, bland } = world;
    vapi.failNext({}, { status: 401, times: 10 });
    await app.send.command("/numbers", "sync");
    await lastReply(app, (t) => t.includes("Sync finished"));
    await app.send.command("/assign-number", "+14155550101 Sales");
    await lastReply(app, (t) => t.includes("now routes to"));
    await app.send.command("/numbers", "help", { signature: "v0=forged" });

    const lines = app.logs.join("");
    expect(lines).toMatch(/"requestId":"[0-9a-f-]{36}"/);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, retell.apiKey, vapi.apiKey, bland.apiKey]) {
      expect(lines).not.toContain(secret);
    }
    await numberRow(app, "+14155550101");
  });
});
