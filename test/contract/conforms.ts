// Type-level checks of request bodies against the official SDKs' parameter types (type-checked by
// `npm run typecheck`; nothing here runs). `satisfies` alone does not catch a field the SDK no longer
// has when the body comes from a function, so `Unknown<Body, Sdk>` names every key (at any depth)
// that the SDK type lacks: it must be `never`.

/** Keys of `Body`, at any depth (arrays included), that `Sdk` does not declare; `never` when none. */
export type Unknown<Body, Sdk> = [Body] extends [readonly (infer Item)[]]
  ? [NonNullable<Sdk>] extends [readonly (infer SdkItem)[]]
    ? Unknown<Item, SdkItem>
    : never
  : Body extends object
    ? {
        [K in keyof Body]-?: K extends keyof NonNullable<Sdk>
          ? Unknown<NonNullable<Body[K]>, NonNullable<NonNullable<Sdk>[K]>>
          : K;
      }[keyof Body]
    : never;

/** Compiles only when `T` is `never` (used as `expectNever<Unknown<…>>(true)`). */
export function expectNever<T extends never>(_: [T] extends [never] ? true : false): void {}

/** `Sdk` with every field also accepting `null`: the fields Switchboard clears where the SDK's types forgot null. */
export type Clearable<Sdk> = { [K in keyof Sdk]?: Sdk[K] | null };
