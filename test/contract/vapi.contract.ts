// Every request the Vapi client sends, checked against @vapi-ai/server-sdk's types. Two deliberate
// differences, both from Vapi's own guides: no `provider` in the PATCH body (the SDK's types force it;
// the API does not need it) and `null` to clear a field (the SDK types only `string | undefined`).
// Nothing here runs.
import type { Vapi } from "@vapi-ai/server-sdk";
import { vapiBindBody, vapiCallBody, vapiNumberPageQuery, vapiUnbindBody } from "../../src/providers/vapi";
import { type Clearable, expectNever, type Unknown } from "./conforms";

type PatchBody = Clearable<Omit<Vapi.UpdateTwilioPhoneNumberDto, "provider">>;

const bind = vapiBindBody("5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a") satisfies PatchBody;
expectNever<Unknown<typeof bind, Vapi.UpdateTwilioPhoneNumberDto>>(true);
const unbind = vapiUnbindBody() satisfies PatchBody;
expectNever<Unknown<typeof unbind, Vapi.UpdateTwilioPhoneNumberDto>>(true);

const call = vapiCallBody(
  "0b8a6f5e-3c1d-4e2f-9a7b-1c2d3e4f5a6b",
  "5e2f",
  "+14155550199",
) satisfies Vapi.CreateCallDto;
expectNever<Unknown<typeof call, Vapi.CreateCallDto>>(true);

// GET /v2/phone-number pages.
const page = vapiNumberPageQuery(2) satisfies Vapi.PhoneNumberControllerFindAllPaginatedRequest;
expectNever<Unknown<typeof page, Vapi.PhoneNumberControllerFindAllPaginatedRequest>>(true);

// GET /assistant date walk: the createdAt filters it sends exist on the SDK's request.
const walk = {
  limit: 1000,
  createdAtGt: "",
  createdAtGe: "",
  createdAtLt: "",
  createdAtLe: "",
} satisfies Vapi.ListAssistantsRequest;
expectNever<Unknown<typeof walk, Vapi.ListAssistantsRequest>>(true);
