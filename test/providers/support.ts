import nock from "nock";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { ProviderError } from "../../src/providers/errors";

/**
 * Short backoff so failure paths run in milliseconds. The timeout stays generous: a 200 ms one
 * fired on a loaded machine and turned a passing test into ERR_NOCK_NO_MATCH on the retry.
 */
export const FAST = { baseDelayMs: 5, timeoutMs: 5000 } as const;

/** For the tests about timeouts: 200 ms against replies delayed 400 ms. */
export const TIMES_OUT = { ...FAST, timeoutMs: 200 } as const;

/** Blocks every real connection except to local test servers, and clears interceptors between tests. */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}

export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome))
    throw new Error(`expected a ProviderError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ProviderError);
  return outcome.error as ProviderError;
}

export async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
