import { describe, expect, it } from "vitest";
import { Inflight } from "../../src/lib/inflight";

describe("work in flight at shutdown", () => {
  it("waits for tracked work to finish before reporting drained", async () => {
    const inflight = new Inflight();
    let finished = false;
    inflight.track(new Promise((resolve) => setTimeout(resolve, 50)).then(() => (finished = true)));
    expect(inflight.size).toBe(1);
    expect(await inflight.drain(2000)).toBe(true);
    expect(finished).toBe(true);
  });

  it("gives up after its deadline and says so", async () => {
    const inflight = new Inflight();
    inflight.track(new Promise(() => {}));
    expect(await inflight.drain(20)).toBe(false);
  });
});
