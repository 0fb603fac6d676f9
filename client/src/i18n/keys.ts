/** Helpers to compare translation trees (used by the key-parity test). */

/** A translation tree: strings at the leaves. */
export type MessageTree = { readonly [key: string]: string | MessageTree };

/** Every leaf key as a dotted path, sorted. */
export function flattenKeys(tree: MessageTree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.push(path);
    else out.push(...flattenKeys(value, path));
  }
  return out.sort();
}

/** The `{{placeholders}}` a message interpolates, sorted. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** The string at a dotted path, if there is one. */
export function messageAt(tree: MessageTree, path: string): string | undefined {
  let node: string | MessageTree | undefined = tree;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}
