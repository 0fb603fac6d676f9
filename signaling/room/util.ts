/** Makes a switch exhaustive: a new variant without a case fails to compile. */
export function assertNever(value: never): never {
  throw new TypeError(`unexpected variant: ${JSON.stringify(value)}`);
}
