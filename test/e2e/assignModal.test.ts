// The assign modal: pick either first, the other list shows only compatible choices (R4, R5),
// and submitting applies the change after the ack, updating the modal with the verified result.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { viewWith } from "../harness/slackDriver";
import { agentId, numberRow, startWorld, textOf, type World } from "./support";

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
});

type Options = {
  options?: { text: { text: string }; value: string }[];
  option_groups?: { label: { text: string }; options: { text: { text: string } }[] }[];
};

async function openModal() {
  await world.app.send.command("/assign-number", "");
  const opened = await world.app.slack.waitFor("views.open");
  return (opened.response as { view: Record<string, unknown> }).view;
}

describe("the assign modal", () => {
  it("opens on /assign-number with both pickers and lists every enabled provider's agents, grouped", async () => {
    const view = await openModal();
    expect(view.callback_id).toBe("assign_number");
    const res = await world.app.send.suggest(viewWith(view), "agent_pick", "agent", "");
    const groups = (res.json as Options).option_groups!;
    expect(groups.map((g) => g.label.text)).toEqual(["Retell", "Vapi", "Bland"]);
  });

  it("after a number is picked, lists only agents of that number's provider (R4, R5)", async () => {
    const { app } = world;
    const view = await openModal();
    const number = await numberRow(app, "+16285550101");
    const withNumber = viewWith(view, { number: { number_pick: number.id } });
    await app.send.selectInModal(withNumber, "number_pick", "number", number.id);
    const updated = await app.slack.waitFor("views.update");
    expect(textOf(updated)).toContain("Only Vapi agents are listed");

    const res = await app.send.suggest(withNumber, "agent_pick", "agent", "");
    expect((res.json as Options).options!.map((o) => o.text.text)).toEqual(["Vapi desk · Vapi assistant"]);
  });

  it("after an agent is picked, lists only free numbers of the agent's provider (R5)", async () => {
    const { app } = world;
    const view = await openModal();
    const sales = await agentId(app, "agent_sales");
    const res = await app.send.suggest(
      viewWith(view, { agent: { agent_pick: sales } }),
      "number_pick",
      "number",
      "",
    );
    const texts = (res.json as Options).options!.map((o) => o.text.text);
    expect(texts).toEqual([expect.stringContaining("415 555 0101"), expect.stringContaining("415 555 0103")]);
    expect(texts.join()).not.toContain("0102"); // on Front desk: not free
    expect(texts.join()).not.toContain("628"); // Vapi
  });

  it("typeahead narrows by digits or nickname", async () => {
    const { app } = world;
    const view = await openModal();
    const byDigits = await app.send.suggest(viewWith(view), "number_pick", "number", "0103");
    expect((byDigits.json as Options).options!.map((o) => o.text.text)).toEqual([
      expect.stringContaining("0103"),
    ]);
    const byNick = await app.send.suggest(viewWith(view), "number_pick", "number", "main");
    expect((byNick.json as Options).options!.map((o) => o.text.text)).toEqual([
      expect.stringContaining("Main line"),
    ]);
  });

  it("submitting assigns at the provider after the ack and shows the verified result in the modal", async () => {
    const { app, retell } = world;
    const view = await openModal();
    const number = await numberRow(app, "+14155550103");
    const sales = await agentId(app, "agent_sales");
    const res = await app.send.submitView(
      viewWith(view, { number: { number_pick: number.id }, agent: { agent_pick: sales } }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { response_action: string }).response_action).toBe("update");
    const result = await app.slack.waitFor("views.update", (c) => textOf(c).includes("now routes to"));
    expect(textOf(result)).toContain("Sales");
    expect(retell.agentIdsOf("+14155550103")).toEqual(["agent_sales"]);
    expect((await numberRow(app, "+14155550103")).agentId).toBe(sales);
  });

  it("a mismatch or a missing choice is shown under the field and nothing changes", async () => {
    const { app, retell } = world;
    const view = await openModal();
    const empty = await app.send.submitView(viewWith(view));
    expect(empty.json).toEqual({
      response_action: "errors",
      errors: { number: "Pick a number.", agent: "Pick an agent." },
    });

    const number = await numberRow(app, "+14155550101");
    const vapiAgent = await agentId(app, "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a");
    const mismatch = await app.send.submitView(
      viewWith(view, { number: { number_pick: number.id }, agent: { agent_pick: vapiAgent } }),
    );
    const errors = (mismatch.json as { errors: Record<string, string> }).errors;
    expect(errors.agent).toContain("must share a provider");
    expect(retell.writes()).toHaveLength(0);
  });

  it("reassigning from the modal shows a confirmation naming the agent that loses the number", async () => {
    const { app, retell } = world;
    const view = await openModal();
    const number = await numberRow(app, "+14155550102");
    const sales = await agentId(app, "agent_sales");
    const res = await app.send.submitView(
      viewWith(view, { number: { number_pick: number.id }, agent: { agent_pick: sales } }),
    );
    const confirm = res.json as { response_action: string; view: Record<string, unknown> };
    expect(confirm.response_action).toBe("update");
    expect(JSON.stringify(confirm.view)).toContain("Front desk");
    expect(retell.writes()).toHaveLength(0);

    await app.send.submitView(viewWith({ ...confirm.view, id: String(view.id) }));
    await app.slack.waitFor("views.update", (c) => textOf(c).includes("now routes to"));
    expect(retell.agentIdsOf("+14155550102")).toEqual(["agent_sales"]);
  });

  it("/assign-number <number> opens the modal with that number fixed", async () => {
    const { app } = world;
    await app.send.command("/assign-number", "(415) 555-0103");
    const updated = await app.slack.waitFor("views.update", (c) => textOf(c).includes("415 555 0103"));
    expect(textOf(updated)).toContain("Only Retell agents are listed");
  });
});
