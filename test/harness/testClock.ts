// A clock tests move by hand (StartOptions.clock): approval expiry, snoozes and hourly limits are
// tested by advancing it instead of waiting in real time.
import type { Clock } from "../../src/lib/clock";

export class TestClock implements Clock {
  private offsetMs = 0;

  /** Starts at real time and moves with it; advance() jumps ahead. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
