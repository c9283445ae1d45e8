// Bulk writes in parts of a bounded size.

/**
 * Rows per bulk statement. Prisma splits a createMany (or an `in` list) that exceeds PostgreSQL's
 * bind-parameter limit and sends the parts concurrently over the transaction's one connection,
 * which pg queues and deprecates (pg 9 will refuse it). 1,000 rows of our widest model stay far
 * below the limit, so each call is one statement.
 */
export const BULK_ROWS = 1000;

/** `rows` in consecutive slices of at most `size` (none for an empty list). */
export function* inBatches<T>(rows: readonly T[], size = BULK_ROWS): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
