import { createBlandProvider } from "./bland";
import type { ProviderClientOptions, ProviderHttpOptions } from "./http";
import { createRetellProvider } from "./retell";
import { PROVIDERS, type ProviderName, type VoiceProvider } from "./types";
import { createVapiProvider } from "./vapi";

export type ProviderRegistry = ReadonlyMap<ProviderName, VoiceProvider>;

export interface ProviderAccount {
  /** Unset or empty disables the provider. */
  apiKey?: string | undefined;
  baseURL?: string | undefined;
}

export type ProvidersConfig = Partial<Record<ProviderName, ProviderAccount>>;

const FACTORIES: Record<ProviderName, (options: ProviderClientOptions) => VoiceProvider> = {
  retell: createRetellProvider,
  vapi: createVapiProvider,
  bland: createBlandProvider,
};

/** One client per provider whose API key is set; the others are absent from the map. */
export function createProviders(
  config: ProvidersConfig,
  httpOverrides: ProviderHttpOptions = {},
): Map<ProviderName, VoiceProvider> {
  const providers = new Map<ProviderName, VoiceProvider>();
  for (const name of PROVIDERS) {
    const account = config[name];
    if (!account?.apiKey) continue;
    const { apiKey, baseURL } = account;
    providers.set(name, FACTORIES[name]({ ...httpOverrides, apiKey, ...(baseURL ? { baseURL } : {}) }));
  }
  return providers;
}
