// A clock tests move by hand (TestAppOptions.clock → StartOptions.clock): approval expiry, snoozes
// and hourly limits are tested by jumping ahead instead of waiting in real time.
import type { Clock } from "../../src/lib/clock";

export class TestClock implements Clock {
  private offsetMs = 0;

  /** Real time plus however far the test has moved it ahead. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Moves ahead until `at` is in the past (a no-op if it already is). */
  advancePast(at: Date): void {
    const ms = at.getTime() - this.now().getTime() + 1;
    if (ms > 0) this.advance(ms);
  }
}
