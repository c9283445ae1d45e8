// `/numbers status <number>` (issue 6, R8): the seed's troubleshooting checklist run live against the
// provider for one number; each failed item says what to do.
import { describe, expect, it } from "vitest";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { ACTION_STATUS_ASSIGN } from "../../src/slack/views/statusViews";
import type { TestApp } from "../harness/testApp";
import { buttonValue, lastReply, numberRow, textOf, useWorldPerTest } from "./support";

const start = useWorldPerTest();

const BLAND_PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
const OK = ":white_check_mark:";
const FAILED = ":x:";
const UNKNOWN = ":grey_question:";

/** Sends `/numbers status <number>` and returns the answer: its text, its checklist lines, the reply. */
async function status(app: TestApp, number: string) {
  app.slack.reset();
  const res = await app.send.command("/numbers", `status ${number}`);
  expect(res.status).toBe(200);
  const reply = await lastReply(app);
  const blocks = (reply.args.blocks ?? []) as {
    type: string;
    text?: { text: string };
    elements?: { text?: string }[];
  }[];
  const section = blocks.find((b) => b.type === "section")?.text?.text ?? "";
  const lines = section.split("\n").slice(1);
  /** The checklist line for `check` (plus its "→ fix" line when it failed). */
  const item = (check: string) => {
    const i = lines.findIndex((l) => l.includes(`*${check}*`));
    if (i < 0) throw new Error(`no item "${check}" in:\n${section}`);
    const next = lines[i + 1]?.trim().startsWith("→") ? lines[i + 1]!.trim() : "";
    return { line: lines[i]!, fix: next };
  };
  const marks = lines.filter((l) => l.startsWith(":")).map((l) => l.split(" ")[0]);
  return { reply, text: textOf(reply), section, item, marks };
}

async function unassignConfirmed(app: TestApp, e164: string) {
  await app.send.command("/unassign-number", e164);
  const confirm = await lastReply(app, (t) => t.includes("Unassign"));
  await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
  await lastReply(app, (t) => t.includes("no longer assigned"));
}

describe("/numbers status", () => {
  it("a healthy number passes every item, checked live at the provider", async () => {
    const { app, retell } = await start();
    const before = retell.requests.length;
    const { text, item, marks, reply } = await status(app, "(415) 555-0102");
    expect(reply.args.text).toBe("Status of +14155550102: all checks pass");
    expect(marks).toEqual([OK, OK, OK, OK]);
    expect(item("Retell account active and API key valid").line).toContain(
      "The key works and the account is active.",
    );
    expect(item("Assigned to an agent").line).toContain("Switchboard's record: Front desk (Retell agent).");
    expect(item("Agent is published and active").line).toContain("Front desk (Retell agent) is published");
    expect(item("The assignment saved at the provider").line).toContain(
      "routes it to Front desk, as recorded",
    );
    expect(text).toContain("All checks pass. Make a test call to confirm the agent answers.");
    expect(text).not.toContain("→");
    expect(text).not.toContain(ACTION_STATUS_ASSIGN);
    const live = retell.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(live).toEqual(
      expect.arrayContaining([
        "GET /get-phone-number/+14155550102",
        "GET /get-agent/agent_front",
        "GET /v2/list-phone-numbers",
      ]),
    );
  });

  it("an unassigned number says to assign it, with an Assign… button that opens the modal", async () => {
    const { app } = await start();
    const { text, item, reply } = await status(app, "+14155550101");
    expect(reply.args.text).toBe("Status of +14155550101: 1 problem(s)");
    const assigned = item("Assigned to an agent");
    expect(assigned.line).toMatch(/^:x: .*No agent: inbound calls to this number are not answered\./);
    expect(assigned.fix).toBe("→ Assign an agent, or mark the number as a spare if that is intended.");
    expect(item("The assignment saved at the provider").line.startsWith(OK)).toBe(true);
    expect(text).toContain("Problems: No agent: inbound calls are not answered.");
    const id = (await numberRow(app, "+14155550101")).id;
    expect(buttonValue(reply, ACTION_STATUS_ASSIGN)).toBe(id);

    await app.send.clickButton(ACTION_STATUS_ASSIGN, id);
    const opened = await app.slack.waitFor("views.open");
    const view = (opened.args as { view: { callback_id: string; private_metadata: string } }).view;
    expect(view.callback_id).toBe("assign_number");
    expect(JSON.parse(view.private_metadata)).toMatchObject({ fixedNumber: true, numberId: id });
  });

  it("after an unassign, says the agent has no number and can only be tested in the browser (R3)", async () => {
    const { app } = await start();
    await unassignConfirmed(app, "+14155550102");
    const { text, item } = await status(app, "+14155550102");
    expect(item("Assigned to an agent").line.startsWith(FAILED)).toBe(true);
    expect(item("Assigned to an agent").fix).toContain("Assign an agent");
    expect(text).toContain(
      "Front desk has no number now: it can only be tested in the browser until it gets one.",
    );

    // Once Front desk has a number again, the note goes.
    await app.send.command("/assign-number", "+14155550103 Front desk");
    await lastReply(app, (t) => t.includes("now routes to"));
    expect((await status(app, "+14155550102")).text).not.toContain("tested in the browser");
  });

  it("after a reassignment, says the previous agent has no number", async () => {
    const { app } = await start();
    await app.send.command("/assign-number", "+14155550102 Sales");
    const confirm = await lastReply(app, (t) => t.includes("Reassign"));
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE));
    await lastReply(app, (t) => t.includes("now routes to"));
    const { text, marks } = await status(app, "+14155550102");
    expect(marks).toEqual([OK, OK, OK, OK]);
    expect(text).toContain("Front desk has no number now: it can only be tested in the browser");
  });

  it("an unpublished agent: publish it", async () => {
    const { app, retell } = await start();
    retell.setAgent("agent_front", { published: false });
    const { item, text } = await status(app, "+14155550102");
    const agent = item("Agent is published and active");
    expect(agent.line).toMatch(/^:x: .*Front desk \(Retell agent\) is not published\./);
    expect(agent.fix).toContain("Publish the agent at the provider");
    expect(text).toContain("Problems: Agent is not published.");
  });

  it("a deleted (inactive) agent: re-activate it or assign another, not 'publish'", async () => {
    const { app, bland } = await start();
    await app.send.command("/assign-number", "+16505550101 Bland desk");
    await lastReply(app, (t) => t.includes("now routes to"));
    bland.setAgent(BLAND_PERSONA, { active: false, published: false });
    const { item, text } = await status(app, "+16505550101");
    const agent = item("Agent is published and active");
    expect(agent.line).toMatch(
      /^:x: .*Bland desk \(Bland persona\) has no production version and is not active\./,
    );
    expect(agent.fix).toBe("→ Re-activate the agent at the provider, or assign an active one.");
    expect(text).toContain("Problems: Agent is not active.");
    expect(text).not.toContain("Publish the agent");
  });

  it("an agent gone from the provider: assign another", async () => {
    const { app, retell } = await start();
    retell.removeAgent("agent_front");
    const { item, text } = await status(app, "+14155550102");
    const agent = item("Agent is published and active");
    expect(agent.line).toMatch(/^:x: .*Front desk no longer exists at Retell\./);
    expect(agent.fix).toContain("Assign another agent of the same provider.");
    expect(text).toContain("Problems: Bound to an agent that no longer exists at the provider.");
  });

  it("drift: the provider routes elsewhere than our record; restore or keep", async () => {
    const { app, retell } = await start();
    retell.setBinding("+14155550102", ["agent_sales"]);
    const { item, text } = await status(app, "+14155550102");
    const saved = item("The assignment saved at the provider");
    expect(saved.line).toMatch(
      /^:x: .*Retell routes it to Sales, but Switchboard's record says Front desk\./,
    );
    expect(saved.fix).toContain("Check that the number assignment saved successfully");
    expect(text).toContain("Problems: The provider routes this number differently");
  });

  it("several agents on one number: keep one", async () => {
    const { app, retell } = await start();
    retell.setBinding("+14155550102", ["agent_front", "agent_sales"]);
    const { item, text } = await status(app, "+14155550102");
    const saved = item("The assignment saved at the provider");
    expect(saved.line).toContain("routes it to Front desk, Sales");
    expect(saved.fix).toContain("A number must route to exactly one agent");
    expect(text).toContain("Routed to several agents at once");
  });

  it("a provider refusing the key (401): verify the account and the key", async () => {
    const { app, retell } = await start();
    retell.failNext({ method: "GET", path: "/v2/list-phone-numbers" }, { status: 401 });
    const { item, text, reply } = await status(app, "+14155550102");
    const key = item("Retell account active and API key valid");
    expect(key.line.startsWith(FAILED)).toBe(true);
    expect(key.fix).toContain("Verify the provider account is active and the API key is valid");
    expect(text).toContain("Problems: Provider API key is invalid.");
    expect(reply.args.text).toBe("Status of +14155550102: 1 problem(s)");
  });

  it("with a wrong key every live read fails: the key item fails, the rest cannot be checked", async () => {
    const { app } = await start({ env: { RETELL_API_KEY: "key_wrong_0000" } });
    const agent = await app.db.agent.create({
      data: { provider: "retell", providerAgentId: "agent_front", name: "Front desk", published: true },
    });
    await app.db.phoneNumber.create({
      data: {
        provider: "retell",
        e164: "+14155550102",
        providerNumberId: "+14155550102",
        agentId: agent.id,
        providerAgentIds: ["agent_front"],
      },
    });
    const { item, text, marks } = await status(app, "+14155550102");
    expect(item("Retell account active and API key valid").fix).toContain("API key is valid");
    expect(item("The assignment saved at the provider").line.startsWith(UNKNOWN)).toBe(true);
    expect(marks).toEqual([FAILED, OK, UNKNOWN, UNKNOWN]);
    expect(text).toContain("Problems: Provider API key is invalid.");
    expect(text).not.toContain("key_wrong_0000");
  });

  it("an unreachable provider: check its status page", async () => {
    const { app, retell } = await start();
    retell.failNext({ method: "GET", path: "/v2/list-phone-numbers" }, { networkError: true, times: 10 });
    const { item, text } = await status(app, "+14155550102");
    expect(item("Retell account active and API key valid").fix).toContain("check its status page");
    expect(text).toContain("Problems: Provider account unreachable.");
  });

  it("a spare passes: no agent on purpose", async () => {
    const { app } = await start();
    await app.db.phoneNumber.update({
      where: { id: (await numberRow(app, "+14155550101")).id },
      data: { isSpare: true },
    });
    const { item, text, marks } = await status(app, "+14155550101");
    expect(marks).toEqual([OK, OK, OK]);
    expect(item("Assigned to an agent").line).toContain("marked as a spare on purpose");
    expect(text).toContain("· spare");
    expect(text).not.toContain(ACTION_STATUS_ASSIGN);
  });

  it("a number of a provider without a key names the variable to set", async () => {
    const { app } = await start({ without: ["bland"] });
    await app.db.phoneNumber.create({
      data: { provider: "bland", e164: "+16505550999", providerNumberId: "+16505550999" },
    });
    const { item } = await status(app, "+16505550999");
    expect(item("Bland is configured").fix).toContain("Set BLAND_API_KEY and restart.");
  });

  it("an unknown number says what to check", async () => {
    const { app } = await start();
    const { text } = await status(app, "+14155559999");
    expect(text).toContain("not in any connected provider account");
  });
});
