/**
 * The name and place a phone commented under, kept in localStorage so that its next comment —
 * on this consultation or another, after a reload or days later — need not type them again.
 * Read back like anything from outside: parsed, and within the server's limits, or nothing.
 */
import { z } from 'zod';
import { COMMENT_LIMITS } from '../../../../signaling/comments/model.js';

const KEY = 'wsl.commenter';

const within = (max: number) => z.string().refine((s) => [...s].length <= max);
const Stored = z.object({ name: within(COMMENT_LIMITS.name), place: within(COMMENT_LIMITS.place) });

export type Commenter = z.infer<typeof Stored>;

/** The name and place last commented under here (empty when none, or when storage is refused). */
export function loadCommenter(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Commenter {
  try {
    const parsed = Stored.safeParse(JSON.parse(storage?.getItem(KEY) ?? 'null'));
    return parsed.success ? parsed.data : { name: '', place: '' };
  } catch {
    return { name: '', place: '' };
  }
}

/** Remembers them after a comment was accepted (a private window may refuse: then nothing is kept). */
export function saveCommenter(commenter: Commenter, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(commenter));
  } catch {
    // Storage full or refused: the form still works, it only asks again next time.
  }
}
