// Stateful fake Retell / Vapi / Bland accounts for end-to-end tests and benchmarks.
// They answer exactly what src/providers/{retell,vapi,bland}.ts send, in the shapes of
// /work/shared/reference/providers.md and provider-calls.md. Served through nock on the real hosts
// (`mountWithNock`) or node:http on loopback (`serveOnLoopback`); `handle` is the transport-free core.
//
//   const retell = new FakeProviderAccount("retell").seed({ numbers: 1500, agents: 10 });
//   const unmount = mountWithNock([retell]);
//   retell.failNext({ method: "PATCH", path: "/update-phone-number/" }, { status: 429 });
//   … drive the app …
//   expect(retell.agentIdsOf("+14155550000")).toEqual(["agent_seed0001"]);
//   unmount();

export { FakeProviderAccount } from "./fakeProviders/account";
export { outcomeStatuses } from "./fakeProviders/calls";
export {
  DEFAULT_BASE_URLS,
  type LoopbackProviders,
  mountWithNock,
  serveOnLoopback,
} from "./fakeProviders/transports";
export type {
  CallOutcome,
  CallScript,
  CallSnapshot,
  FakeAgent,
  FakeCall,
  FakeNumber,
  FakeRequest,
  FakeResponse,
  FaultMatch,
  FaultReply,
  OnReadOptions,
  ProviderName,
  RecordedRequest,
  SeedCounts,
} from "./fakeProviders/types";
