// Pagination as each provider does it, over items ordered by creation (`seq`). Internal.

export interface Sequenced {
  seq: number;
  createdAt: number;
}

export type Paged<T> =
  | { ok: true; items: T[]; hasMore: boolean; key?: string }
  | { ok: false; message: string };

function limitOf(raw: string | undefined, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** Retell: `limit` (default 50, max 1000), `sort_order` (default descending), opaque `pagination_key`. */
export function cursorPage<T extends Sequenced>(all: T[], query: Record<string, string>): Paged<T> {
  const limit = limitOf(query.limit, 50, 1000);
  if (limit === undefined) return { ok: false, message: "limit must be an integer between 1 and 1000" };
  const order = query.sort_order ?? "descending";
  if (order !== "ascending" && order !== "descending") return { ok: false, message: "invalid sort_order" };
  const sorted = [...all].sort((a, b) => (order === "ascending" ? a.seq - b.seq : b.seq - a.seq));
  let rest = sorted;
  if (query.pagination_key !== undefined) {
    const match = /^pk_(\d+)$/.exec(query.pagination_key);
    if (!match) return { ok: false, message: "invalid pagination_key" };
    const after = Number(match[1]);
    rest = sorted.filter((x) => (order === "ascending" ? x.seq > after : x.seq < after));
  }
  const items = rest.slice(0, limit);
  const hasMore = rest.length > limit;
  const last = items.at(-1);
  return { ok: true, items, hasMore, ...(hasMore && last ? { key: `pk_${last.seq}` } : {}) };
}

const DATE_FILTERS = {
  createdAtGt: (t: number, v: number) => t > v,
  createdAtLt: (t: number, v: number) => t < v,
  createdAtGe: (t: number, v: number) => t >= v,
  createdAtLe: (t: number, v: number) => t <= v,
} as const;

/** Creation order, ties broken by insertion (a stable order, as a database index gives). */
const byCreation = (order: "newest" | "oldest") => (a: Sequenced, b: Sequenced) =>
  order === "newest"
    ? b.createdAt - a.createdAt || b.seq - a.seq
    : a.createdAt - b.createdAt || a.seq - b.seq;

/**
 * Vapi's array lists: at most `limit` (default 100, max 1000), filtered by the `createdAt*` bounds,
 * newest first unless the account is set to answer oldest first (Vapi documents no order).
 */
export function arrayPage<T extends Sequenced>(
  all: T[],
  query: Record<string, string>,
  order: "newest" | "oldest" = "newest",
): Paged<T> {
  const limit = limitOf(query.limit, 100, 1000);
  if (limit === undefined) return { ok: false, message: "limit must not be greater than 1000" };
  let items = [...all].sort(byCreation(order));
  for (const [name, test] of Object.entries(DATE_FILTERS)) {
    const raw = query[name];
    if (raw === undefined) continue;
    const bound = Date.parse(raw);
    if (Number.isNaN(bound)) return { ok: false, message: `${name} must be a valid ISO 8601 date string` };
    items = items.filter((x) => test(x.createdAt, bound));
  }
  return { ok: true, items: items.slice(0, limit), hasMore: items.length > limit };
}

/** Bland personas: `page` (default 1) and `limit` (default 20, max 100), oldest first, no metadata. */
export function numberedPage<T extends Sequenced>(
  all: T[],
  query: Record<string, string>,
): Paged<T> & { page?: number } {
  const limit = limitOf(query.limit, 20, 100);
  if (limit === undefined) return { ok: false, message: "limit must be between 1 and 100" };
  const page = limitOf(query.page, 1, Number.MAX_SAFE_INTEGER);
  if (page === undefined) return { ok: false, message: "page must be a positive integer" };
  const sorted = [...all].sort((a, b) => a.seq - b.seq);
  const items = sorted.slice((page - 1) * limit, page * limit);
  return { ok: true, items, hasMore: sorted.length > page * limit, page };
}

/** Vapi `/v2/phone-number`: `page` (≥ 1), `limit` (≤ 1000, default 100), `sortOrder` ASC|DESC (default DESC), by createdAt. */
export function numberedResultsPage<T extends Sequenced>(
  all: T[],
  query: Record<string, string>,
  /** Answer in this order whatever `sortOrder` asks (an API that ignores the parameter). */
  forced?: "newest" | "oldest",
):
  | {
      ok: true;
      items: T[];
      meta: {
        itemsPerPage: number;
        totalItems: number;
        currentPage: number;
        totalPages: number;
        hasNextPage: boolean;
      };
    }
  | { ok: false; message: string } {
  const limit = limitOf(query.limit, 100, 1000);
  if (limit === undefined) return { ok: false, message: "limit must not be greater than 1000" };
  const page = limitOf(query.page, 1, Number.MAX_SAFE_INTEGER);
  if (page === undefined) return { ok: false, message: "page must not be less than 1" };
  const sortOrder = query.sortOrder ?? "DESC";
  if (sortOrder !== "ASC" && sortOrder !== "DESC")
    return { ok: false, message: "sortOrder must be ASC or DESC" };
  if (query.sortBy !== undefined && query.sortBy !== "createdAt") {
    return { ok: false, message: "the fake sorts by createdAt only" };
  }
  const sorted = [...all].sort(byCreation(forced ?? (sortOrder === "ASC" ? "oldest" : "newest")));
  const totalPages = Math.max(1, Math.ceil(sorted.length / limit));
  return {
    ok: true,
    items: sorted.slice((page - 1) * limit, page * limit),
    meta: {
      itemsPerPage: limit,
      totalItems: sorted.length,
      currentPage: page,
      totalPages,
      hasNextPage: page < totalPages,
    },
  };
}
