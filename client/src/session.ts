/**
 * What lets a reloaded page come back as the same participant: the resume token, the last
 * event seq and the name typed at the join page, kept in sessionStorage (per tab, gone with
 * the tab) under the invite.
 */
import { z } from 'zod';

const PREFIX = 'wsl.session.';

const StoredSession = z.object({
  resumeToken: z.string().min(16).max(1024),
  lastSeq: z.number().int().min(0),
  /** The name typed at the join page, offered again after a reload. */
  name: z.string().max(64).optional(),
});

/** A stored session. */
export type StoredSession = z.infer<typeof StoredSession>;

/** Read/write access to the session of one invite. */
export type SessionStore = {
  read(): StoredSession | null;
  write(session: StoredSession): void;
  clear(): void;
};

/** The storage key of an invite (tokens are long; their signature part tells them apart). */
export function sessionKey(invite: string): string {
  return PREFIX + invite.slice(-43);
}

/** A SessionStore over `storage` (sessionStorage in the browser). */
export function sessionStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, invite: string): SessionStore {
  const key = sessionKey(invite);
  return {
    read() {
      if (storage === null) return null;
      let raw: string | null;
      try {
        raw = storage.getItem(key);
      } catch (error) {
        console.warn('session storage unavailable', error);
        return null;
      }
      if (raw === null) return null;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        console.warn('stored session is not JSON; ignoring it', error);
        return null;
      }
      const parsed = StoredSession.safeParse(json);
      return parsed.success ? parsed.data : null;
    },
    write(session) {
      try {
        storage?.setItem(key, JSON.stringify(session));
      } catch (error) {
        // Private mode or a full quota: the meeting goes on, only a reload would start afresh.
        console.warn('could not keep the session', error);
      }
    },
    clear() {
      try {
        storage?.removeItem(key);
      } catch (error) {
        console.warn('could not clear the session', error);
      }
    },
  };
}

/** The browser's sessionStorage, or null where it is blocked. */
export function browserSessionStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch (error) {
    console.warn('sessionStorage is blocked', error);
    return null;
  }
}
