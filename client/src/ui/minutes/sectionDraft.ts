/**
 * The secretary's typing in one minutes section, against the section as the room has it.
 * Pure: a reducer the editor drives with what the user does and what the room reports.
 *
 * The rule it keeps: text the user typed is never replaced without the user choosing so. When
 * the room's section moves past the version the typing started from (another secretary saved,
 * or a speaker's correction was accepted), or the server answers a save with CONFLICT, the
 * draft stays and is marked as a conflict until the user takes one side or saves a merge.
 */
import type { ClientErrorCode } from '../../errors.js';

/** The section as the room has it. */
export type RoomText = { text: string; version: number };

/** One section's draft. */
export type Draft = {
  /** What the user typed and has not seen saved; null while the editor shows the room's text. */
  text: string | null;
  /** The room version the typing started from (a save names it as `baseVersion`). */
  base: number;
  /** A save on its way: what was sent, on which version. */
  sending: { text: string; base: number } | null;
  /** The room's text moved on under the draft: the user must choose. */
  conflict: boolean;
  /** The last save failed for another reason (refused, or no answer); the draft is kept. */
  error: ClientErrorCode | null;
};

/** What an editor shows about its section. */
export type DraftStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

/** What changes a draft. */
export type DraftAction =
  | { type: 'typed'; text: string; room: RoomText }
  /** The room's section changed (an event was folded). */
  | { type: 'room'; room: RoomText }
  | { type: 'saveSent'; text: string; base: number }
  | { type: 'saveAccepted' }
  | { type: 'saveRefused'; error: ClientErrorCode; room: RoomText }
  /** Conflict resolved by dropping the draft: the room's text stands. */
  | { type: 'takeTheirs'; room: RoomText };

/** No typing yet, on the room's current version. */
export function freshDraft(room: RoomText): Draft {
  return { text: null, base: room.version, sending: null, conflict: false, error: null };
}

/** The text the editor shows. */
export function shownText(draft: Draft, room: RoomText): string {
  return draft.text ?? room.text;
}

/** How the section stands for the status line. */
export function draftStatus(draft: Draft): DraftStatus {
  if (draft.conflict) return 'conflict';
  if (draft.sending !== null) return 'saving';
  if (draft.error !== null) return 'failed';
  return draft.text === null ? 'saved' : 'unsaved';
}

/**
 * The `minutes:edit` to send now, or null when there is nothing to save. Saving while in
 * conflict saves the draft (the user's own text or their merge) over the room's latest
 * version, which the conflict view has just shown them.
 */
export function saveCommand(draft: Draft, room: RoomText): { text: string; baseVersion: number } | null {
  if (draft.text === null || draft.sending !== null) return null;
  return { text: draft.text, baseVersion: draft.conflict ? room.version : draft.base };
}

/** The pure fold of a draft. */
export function reduceDraft(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case 'typed': {
      // Typing back exactly what the room holds, on the version it holds, is no change.
      const same = !draft.conflict && draft.sending === null && action.text === action.room.text && draft.base === action.room.version;
      return { ...draft, text: same ? null : action.text, error: null };
    }
    case 'room':
      return onRoomChanged(draft, action.room);
    case 'saveSent':
      return { ...draft, sending: { text: action.text, base: action.base }, error: null, conflict: false, base: action.base };
    case 'saveAccepted': {
      const sent = draft.sending;
      if (sent === null) return draft;
      // The room's event may have come before the answer; either way the sent text is the
      // room's text at base + 1 now. Typing done meanwhile stays as the next draft.
      const base = Math.max(draft.base, sent.base + 1);
      return { ...draft, sending: null, base, text: draft.text === sent.text ? null : draft.text };
    }
    case 'saveRefused':
      if (action.error === 'CONFLICT') return { ...draft, sending: null, conflict: true };
      return { ...draft, sending: null, error: action.error };
    case 'takeTheirs':
      return freshDraft(action.room);
    default:
      return assertNever(action);
  }
}

function onRoomChanged(draft: Draft, room: RoomText): Draft {
  if (room.version <= draft.base) return draft;
  const sent = draft.sending;
  // My own save coming back as the room's event (before its ack): not someone else's change.
  if (sent !== null && room.version === sent.base + 1 && room.text === sent.text) {
    return { ...draft, base: room.version, text: draft.text === sent.text ? null : draft.text };
  }
  if (draft.text === null) return freshDraft(room);
  // Someone saved exactly what I have: nothing to choose between.
  if (draft.text === room.text) return { ...freshDraft(room) };
  // NOTE: `base` stays where the typing started; it is the conflict flag that makes the next
  // save go over the room's latest version, and only after the user has seen that version.
  return { ...draft, conflict: true };
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled draft action ${JSON.stringify(value)}`);
}
