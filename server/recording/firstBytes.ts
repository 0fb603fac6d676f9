/**
 * A part's file exists from the moment its encoder opens it, but holds nothing until the encoder
 * has written the MP4's header (its first frames encoded): on a busy server, a second or more
 * after the part is announced and its link shown. A request in that window would get an empty
 * file, which no player opens (and a browser could keep for as long as it may cache it).
 */
import { stat } from 'node:fs/promises';

/** How often the size is looked at while waiting. */
const POLL_MS = 100;

/**
 * The size of `file` once it is not empty, looking until `withinMs` have passed: 0 if it is
 * still empty then, null if there is no such file.
 */
export async function sizeOnceWritten(file: string, withinMs: number): Promise<number | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const found = await stat(file).catch(() => null);
    if (found === null) return null;
    if (found.size > 0 || Date.now() >= deadline) return found.size;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
