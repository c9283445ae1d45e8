// The time as services read it. Injected (ServiceDeps.clock, StartOptions.clock) so that tests can
// move time forward — approval expiry, snoozes, hourly test-call limits — instead of waiting.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** `ms` milliseconds after the clock's now. */
export function after(clock: Clock, ms: number): Date {
  return new Date(clock.now().getTime() + ms);
}
