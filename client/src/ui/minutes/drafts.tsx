/**
 * Every section's draft of this page in one place, above the editors: the lock button needs
 * to know whether anything is unsaved, and a draft must outlive its editor (a section that
 * scrolls away, a locked version re-rendered read-only). The panel that holds this stays
 * mounted while other tabs are shown, so switching tabs keeps the typing too; the typing is
 * also kept in the tab's sessionStorage (savedDrafts.ts), so a reload brings it back.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { sectionOf } from '../../../../signaling/room/minutes.js';
import type { RoomState, SectionKey } from '../../../../signaling/room/state.js';
import { errorCodeOf } from '../../errors.js';
import { useRoomClient } from '../context.js';
import { draftsToKeep, restoreDrafts } from './savedDrafts.js';
import { freshDraft, reduceDraft, saveCommand, type Draft, type DraftAction, type RoomText } from './sectionDraft.js';

/** Drafts by section; a section without an entry shows the room's text. */
export type Drafts = Readonly<Record<SectionKey, Draft>>;

type Change = { section: SectionKey; room: RoomText; action: DraftAction };

/** Folds one change; a draft that is back to "nothing typed, nothing pending" is dropped. */
export function reduceDrafts(drafts: Drafts, { section, room, action }: Change): Drafts {
  const next = reduceDraft(drafts[section] ?? freshDraft(room), action);
  const idle = next.text === null && next.sending === null && !next.conflict && next.error === null;
  if (idle) {
    if (!(section in drafts)) return drafts;
    const { [section]: _dropped, ...rest } = drafts;
    return rest;
  }
  return { ...drafts, [section]: next };
}

/** The room's text and version of a section. */
export function roomText(room: RoomState, section: SectionKey): RoomText {
  const s = sectionOf(room.minutes, section);
  return { text: s.text, version: s.version };
}

type DraftsApi = {
  drafts: Drafts;
  change(section: SectionKey, action: DraftAction): void;
  /** Sends the section's draft as `minutes:edit`; the answer lands in the draft. */
  save(section: SectionKey): void;
};

const DraftsContext = createContext<DraftsApi | null>(null);

/** Holds the drafts of `room`'s minutes for the editors below it. */
export function MinutesDraftsProvider({ room, children }: { room: RoomState; children: ReactNode }) {
  const client = useRoomClient();
  const saved = useMemo(() => client.savedMinutesDrafts(room.id), [client, room.id]);
  const [drafts, dispatch] = useReducer(reduceDrafts, undefined, () => restoreDrafts(saved.read(), (section) => roomText(room, section)));
  // Every change of the typing is kept at once: a reload can come at any moment.
  useEffect(() => saved.write(draftsToKeep(drafts)), [saved, drafts]);
  // The latest room and drafts for callbacks that outlive a render (a save's answer).
  const latest = useRef({ room, drafts });
  latest.current = { room, drafts };

  const sections = room.minutes.sections;
  useEffect(() => {
    // Each draft hears of its section's new version (another secretary, an accepted correction).
    for (const section of Object.keys(latest.current.drafts)) {
      dispatch({ section, room: roomText(latest.current.room, section), action: { type: 'room', room: roomText(latest.current.room, section) } });
    }
  }, [sections]);

  const unsaved = Object.values(drafts).some((d) => d.text !== null);
  useEffect(() => {
    if (!unsaved) return;
    // Closing the tab would lose typing the room has not got: its sessionStorage goes with it.
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const change = useCallback((section: SectionKey, action: DraftAction) => {
    dispatch({ section, room: roomText(latest.current.room, section), action });
  }, []);

  const save = useCallback(
    (section: SectionKey) => {
      const room = roomText(latest.current.room, section);
      const draft = latest.current.drafts[section] ?? freshDraft(room);
      const command = saveCommand(draft, room);
      if (command === null) return;
      dispatch({ section, room, action: { type: 'saveSent', text: command.text, base: command.baseVersion } });
      client.command('minutes:edit', { section, ...command }).then(
        () => change(section, { type: 'saveAccepted' }),
        (error: unknown) => {
          const code = errorCodeOf(error);
          if (code !== 'CONFLICT') console.warn(`saving minutes section ${section} failed`, error);
          change(section, { type: 'saveRefused', error: code, room: roomText(latest.current.room, section) });
        },
      );
    },
    [client, change],
  );

  const api = useMemo(() => ({ drafts, change, save }), [drafts, change, save]);
  return <DraftsContext.Provider value={api}>{children}</DraftsContext.Provider>;
}

/** The drafts of the minutes panel around this component. */
export function useDrafts(): DraftsApi {
  const api = useContext(DraftsContext);
  if (api === null) throw new TypeError('useDrafts() outside <MinutesDraftsProvider>');
  return api;
}
