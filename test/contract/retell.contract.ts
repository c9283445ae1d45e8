// Every request body the Retell client sends, checked against retell-sdk's parameter types: a field
// Retell renames or removes fails `npm run typecheck`, not a customer. Nothing here runs.
import type Retell from "retell-sdk";
import {
  retellBindBody,
  retellCallBody,
  retellListAgentsBody,
  retellListQuery,
  retellUnbindBody,
} from "../../src/providers/retell";
import { expectNever, type Unknown } from "./conforms";

// PATCH /update-phone-number/{n}: assign (one agent in and out) and unassign.
const bind = retellBindBody("agent_x") satisfies Retell.PhoneNumberUpdateParams;
expectNever<Unknown<typeof bind, Retell.PhoneNumberUpdateParams>>(true);
const unbind = retellUnbindBody() satisfies Retell.PhoneNumberUpdateParams;
expectNever<Unknown<typeof unbind, Retell.PhoneNumberUpdateParams>>(true);

// POST /v2/create-phone-call, pinned to the number's version (number or tag).
const call = retellCallBody({ from: "+14155550100", to: "+14155550199", agentId: "agent_x", version: 4 });
call satisfies Retell.CallCreatePhoneCallParams;
expectNever<Unknown<typeof call, Retell.CallCreatePhoneCallParams>>(true);
retellCallBody({
  from: "+1",
  to: "+1",
  agentId: "a",
  version: "prod",
}) satisfies Retell.CallCreatePhoneCallParams;

// POST /v2/list-agents body and the list queries (limit, pagination_key).
const listAgents = retellListAgentsBody() satisfies Retell.AgentListParams;
expectNever<Unknown<typeof listAgents, Retell.AgentListParams>>(true);
const listNumbers = retellListQuery({
  limit: 1000,
  pagination_key: "k",
}) satisfies Retell.PhoneNumberListParams;
expectNever<Unknown<typeof listNumbers, Retell.PhoneNumberListParams>>(true);
expectNever<Unknown<typeof listNumbers, Retell.AgentListVersionsParams>>(true);
