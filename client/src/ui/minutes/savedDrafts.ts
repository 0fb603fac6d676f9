/**
 * The secretary's unsaved typing kept in sessionStorage (per tab, gone with the tab), per room
 * and section, so that a reload — or a crash of the page — does not lose a passage the room has
 * not got yet. Only the typing and the version it started from are kept; a restored draft is
 * folded against the room as it is now, so a section saved by someone else in between comes
 * back as a conflict for the user to settle, never silently overwritten either way.
 */
import { z } from 'zod';
import type { SectionKey } from '../../../../signaling/room/state.js';
import { freshDraft, reduceDraft, type Draft, type RoomText } from './sectionDraft.js';

const PREFIX = 'wsl.minutesDrafts.';

// Parsed like anything read back from outside: the keys and limits of minutes:edit.
const Stored = z.record(
  z.string().regex(/^(conclusions|speech:(0|[1-9][0-9]{0,4}))$/),
  z.object({ text: z.string().max(20_000), base: z.number().int().min(0).max(1_000_000) }),
);

/** One section's typing as kept: the text and the room version it started from. */
export type SavedDraft = { text: string; base: number };

/** Read/write access to the kept drafts of one room. */
export type SavedDrafts = {
  read(): Record<SectionKey, SavedDraft>;
  /** Replaces what is kept with these drafts (none: forgets the room's entry). */
  write(drafts: Record<SectionKey, SavedDraft>): void;
};

/** Keeps nothing: where there is no storage. */
export const NO_SAVED_DRAFTS: SavedDrafts = { read: () => ({}), write: () => undefined };

/** The kept drafts of `roomId` in `storage` (sessionStorage in the browser). */
export function savedDrafts(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, roomId: string): SavedDrafts {
  if (storage === null || roomId === '') return NO_SAVED_DRAFTS;
  const key = PREFIX + roomId;
  return {
    read() {
      let raw: string | null;
      try {
        raw = storage.getItem(key);
      } catch (error) {
        console.warn('session storage unavailable', error);
        return {};
      }
      if (raw === null) return {};
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        console.warn('kept minutes drafts are not JSON; ignoring them', error);
        return {};
      }
      const parsed = Stored.safeParse(json);
      return parsed.success ? parsed.data : {};
    },
    write(drafts) {
      try {
        if (Object.keys(drafts).length === 0) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify(drafts));
      } catch (error) {
        // Private mode or a full quota: the typing is still on screen, only a reload loses it.
        console.warn('could not keep the minutes drafts', error);
      }
    },
  };
}

/** What of `drafts` is worth keeping: sections with typing the room has not got. */
export function draftsToKeep(drafts: Readonly<Record<SectionKey, Draft>>): Record<SectionKey, SavedDraft> {
  const kept: Record<SectionKey, SavedDraft> = {};
  for (const [section, draft] of Object.entries(drafts)) if (draft.text !== null) kept[section] = { text: draft.text, base: draft.base };
  return kept;
}

/**
 * Drafts again from what was kept, against the room now: typing the room already holds (it
 * was saved just before the reload) is dropped; typing over a section that moved on is a
 * conflict.
 */
export function restoreDrafts(kept: Readonly<Record<SectionKey, SavedDraft>>, roomText: (section: SectionKey) => RoomText): Record<SectionKey, Draft> {
  const drafts: Record<SectionKey, Draft> = {};
  for (const [section, { text, base }] of Object.entries(kept)) {
    const room = roomText(section);
    const draft = reduceDraft({ ...freshDraft(room), text, base }, { type: 'room', room });
    if (draft.text === null || (draft.text === room.text && !draft.conflict)) continue;
    drafts[section] = draft;
  }
  return drafts;
}
