// The listener dispatch picks what Bolt's matchers would pick: by command name, action id (block
// actions only), options action id (block suggestions only), callback id (submissions only), event type.
import type { AnyMiddlewareArgs, App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { ListenerRouter } from "../../src/slack/router";

const named = (name: string) => Object.assign(async () => {}, { label: name });
function router() {
  const r = new ListenerRouter({} as App["client"]);
  r.command("/numbers", named("numbers"));
  r.action("approve", named("approve"));
  r.action({ action_id: "number_pick", type: "block_actions" }, named("pick"));
  r.options("number_pick", named("suggest"));
  r.view("assign_number", named("submit"));
  r.event("app_home_opened", named("home"));
  return r;
}
const picked = (r: ListenerRouter, args: object) =>
  (r.listenerFor(args as AnyMiddlewareArgs) as { label?: string } | undefined)?.label;

describe("ListenerRouter", () => {
  it("routes each kind by its id", () => {
    const r = router();
    expect(picked(r, { command: { command: "/numbers" }, body: {} })).toBe("numbers");
    expect(picked(r, { action: { action_id: "approve" }, body: { type: "block_actions" } })).toBe("approve");
    expect(picked(r, { action: { action_id: "number_pick" }, body: { type: "block_actions" } })).toBe("pick");
    expect(picked(r, { options: { action_id: "number_pick" }, body: { type: "block_suggestion" } })).toBe(
      "suggest",
    );
    expect(picked(r, { view: { callback_id: "assign_number" }, body: { type: "view_submission" } })).toBe(
      "submit",
    );
    expect(picked(r, { event: { type: "app_home_opened" }, body: {} })).toBe("home");
  });

  it("matches nothing Bolt would not: other ids, a closed modal, an unknown command", () => {
    const r = router();
    expect(picked(r, { command: { command: "/other" }, body: {} })).toBeUndefined();
    expect(picked(r, { action: { action_id: "nope" }, body: { type: "block_actions" } })).toBeUndefined();
    expect(
      picked(r, { view: { callback_id: "assign_number" }, body: { type: "view_closed" } }),
    ).toBeUndefined();
    expect(picked(r, { event: { type: "message" }, body: {} })).toBeUndefined();
  });

  it("refuses a second listener for the same id", () => {
    const r = router();
    expect(() => r.command("/numbers", async () => {})).toThrow(/already registered/);
  });
});
