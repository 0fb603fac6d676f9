/** Makes a switch exhaustive: a new variant without a case fails to compile. */
export function assertNever(value: never): never {
  throw new TypeError(`unexpected variant: ${JSON.stringify(value)}`);
}

/** `record` with the entry at `id` replaced by `f` of it (the same record when there is none). */
export function mapOne<T>(record: Record<string, T>, id: string, f: (value: T) => T): Record<string, T> {
  const value = record[id];
  return value === undefined ? record : { ...record, [id]: f(value) };
}

/** `record` with every entry replaced by `f` of it. */
export function mapAll<T>(record: Record<string, T>, f: (value: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [id, value] of Object.entries(record)) out[id] = f(value);
  return out;
}
