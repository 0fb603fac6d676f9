/**
 * Minutes rules: sections edited with optimistic versions, action items, written statements,
 * speaker confirmation (核稿) and locked versions. `decideMinutes` checks a command, `foldMinutes`
 * folds its events; both pure.
 */
import type { ClientCommand } from './commands.js';
import type { DecideContext } from './result.js';
import type { NewRoomEvent, RoomEvent } from './events.js';
import { accept, refuse, type DecideResult } from './result.js';
import { keepsMinutes } from './roles.js';
import type { MinutesContent, MinutesSection, MinutesState, Role, RoomState, SectionKey, Viewer } from './state.js';
import { assertNever } from './util.js';

/** A minutes command. */
export type MinutesCommand = Extract<ClientCommand, { type: `minutes:${string}` }>;

/** A minutes event as recorded. */
export type MinutesEvent = Extract<RoomEvent, { type: `minutes.${string}` }>;

/** Written statements one participant may submit (keeps the log from being flooded). */
export const MAX_STATEMENTS_PER_PARTICIPANT = 3;

/** Is this a minutes command? (They stay allowed after the meeting ended.) */
export function isMinutesCommand(c: { type: string }): c is MinutesCommand {
  return c.type.startsWith('minutes:');
}

/** Is this a minutes event? */
export function isMinutesEvent(e: { type: string }): e is MinutesEvent {
  return e.type.startsWith('minutes.');
}


/** The section key of the speech at `index`. */
export function speechSection(index: number): SectionKey {
  return `speech:${index}`;
}

/** The speech index of a section key, or null for `conclusions` and anything else. */
export function speechIndex(section: SectionKey): number | null {
  const match = /^speech:(\d+)$/.exec(section);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * The participant who held the floor for a speech section; null for `conclusions`, an unknown
 * speech, or a speech a whole venue held (nobody in particular confirms it).
 */
export function sectionSpeaker(s: RoomState, section: SectionKey): string | null {
  const index = speechIndex(section);
  const holder = index === null ? undefined : s.speeches[index]?.holder;
  return holder?.kind === 'participant' ? holder.participantId : null;
}

/** A section as it stands (an unedited one is empty, version 0, draft). */
export function sectionOf(m: Pick<MinutesState, 'sections'>, section: SectionKey): MinutesSection {
  return m.sections[section] ?? { text: '', version: 0, confirmation: { status: 'draft' } };
}

/** The content of the current draft or locked version. */
export function currentContent(m: MinutesState): MinutesContent {
  return { sections: m.sections, actions: m.actions, statements: m.statements };
}

/** Checks a minutes command by `actorId` (whose role may issue it, see roles.ts). */
export function decideMinutes(s: RoomState, c: MinutesCommand, actorId: string, ctx: DecideContext): DecideResult {
  const m = s.minutes;
  if (c.type === 'minutes:publish') {
    // Only a locked version is the official record: publishing a draft would hand out a text
    // that may still change. Once published, the latest locked version is what others get,
    // also while a later version is being drafted (the draft itself is never published).
    if (c.published && m.lockedVersions.length === 0) return refuse('INVALID_STATE', 'lock a version of the minutes before publishing them');
    if (c.published === m.published) return refuse('INVALID_STATE', `the minutes are already ${m.published ? 'published' : 'unpublished'}`);
    return accept({ type: 'minutes.published', data: { published: c.published } });
  }
  if (c.type === 'minutes:unlockNewVersion') {
    if (!m.locked) return refuse('INVALID_STATE', `version ${m.version} is not locked`);
    return accept({ type: 'minutes.unlocked', data: { version: m.version + 1 } });
  }
  // NOTE: a locked version is immutable, confirmations included: the lock ties this exact
  // content to the log's chain head. Changes go into a new version after unlockNewVersion.
  if (m.locked) return refuse('INVALID_STATE', `version ${m.version} of the minutes is locked`);

  switch (c.type) {
    case 'minutes:edit': {
      if (c.section !== 'conclusions' && !speechExists(s, c.section)) return refuse('NOT_FOUND', `no section ${c.section}`);
      const current = sectionOf(m, c.section);
      if (c.baseVersion !== current.version) {
        return refuse('CONFLICT', `section ${c.section} is at version ${current.version}, the edit was based on version ${c.baseVersion}`);
      }
      if (current.confirmation.status === 'correctionProposed') {
        // Editing now would silently drop the speaker's proposal.
        return refuse('INVALID_STATE', `accept or reject the correction proposed for ${c.section} first`);
      }
      const speakerId = sectionSpeaker(s, c.section);
      return accept({ type: 'minutes.edited', data: { section: c.section, version: current.version + 1, speakerId, text: c.text } });
    }
    case 'minutes:addAction':
      return accept({
        type: 'minutes.actionAdded',
        data: { actionId: `action-${m.actionsAdded + 1}`, item: { owner: c.owner, due: c.due, text: c.text } },
      });
    case 'minutes:removeAction':
      if (!m.actions.some((a) => a.id === c.actionId)) return refuse('NOT_FOUND', `no action item ${c.actionId}`);
      return accept({ type: 'minutes.actionRemoved', data: { actionId: c.actionId } });
    case 'minutes:submitStatement': {
      const mine = m.statements.filter((st) => st.participantId === actorId).length;
      if (mine >= MAX_STATEMENTS_PER_PARTICIPANT) {
        return refuse('INVALID_STATE', `at most ${MAX_STATEMENTS_PER_PARTICIPANT} written statements each`);
      }
      return accept({ type: 'minutes.statementSubmitted', data: { participantId: actorId, text: c.text } });
    }
    case 'minutes:requestConfirmation': {
      if (!s.ended) return refuse('INVALID_STATE', 'speakers confirm their passages after the meeting');
      if (!speechExists(s, c.section)) return refuse('NOT_FOUND', `no section ${c.section}`);
      if (sectionSpeaker(s, c.section) === null) return refuse('INVALID_STATE', 'a speech by a whole venue has no single speaker to confirm it');
      const status = sectionOf(m, c.section).confirmation.status;
      if (status !== 'draft') return refuse('INVALID_STATE', `section ${c.section} is ${status}`);
      return accept({ type: 'minutes.confirmationRequested', data: { section: c.section } });
    }
    case 'minutes:confirm':
    case 'minutes:proposeCorrection': {
      if (sectionSpeaker(s, c.section) !== actorId) return refuse('FORBIDDEN', 'only the speaker confirms their own speech');
      const status = sectionOf(m, c.section).confirmation.status;
      if (status !== 'pending') return refuse('INVALID_STATE', `section ${c.section} is ${status}, not pending`);
      return c.type === 'minutes:confirm'
        ? accept({ type: 'minutes.confirmed', data: { section: c.section } })
        : accept({ type: 'minutes.correctionProposed', data: { section: c.section, speakerId: actorId, text: c.text } });
    }
    case 'minutes:acceptCorrection':
    case 'minutes:rejectCorrection': {
      const current = sectionOf(m, c.section);
      if (current.confirmation.status !== 'correctionProposed') {
        return refuse('INVALID_STATE', `no correction proposed for ${c.section}`);
      }
      const event: NewRoomEvent =
        c.type === 'minutes:acceptCorrection'
          ? {
              type: 'minutes.correctionAccepted',
              data: { section: c.section, version: current.version + 1, speakerId: sectionSpeaker(s, c.section), text: current.confirmation.text },
            }
          : { type: 'minutes.correctionRejected', data: { section: c.section } };
      return accept(event);
    }
    case 'minutes:lock': {
      // The record of a meeting still running would keep changing under the lock.
      if (!s.ended) return refuse('INVALID_STATE', 'the minutes are locked after the meeting ends');
      // A poll left open with a deadline would still close by itself and change the record.
      const closing = Object.values(s.polls).find((p) => p.status === 'open' && p.closesAt !== null);
      if (closing) return refuse('INVALID_STATE', `poll ${closing.id} closes by itself at ${closing.closesAt}; lock after that`);
      if (ctx.minutesContentHash === undefined) throw new TypeError('minutes:lock needs the content hash in the decide context');
      return accept({
        type: 'minutes.locked',
        data: {
          version: m.version,
          chainSeq: s.seq,
          chainHash: s.hash,
          contentHash: ctx.minutesContentHash,
          ...(ctx.commentsSummary ? { comments: ctx.commentsSummary } : {}),
          ...(ctx.recordingSummary ? { recording: ctx.recordingSummary } : {}),
        },
      });
    }
    default:
      return assertNever(c);
  }
}

function speechExists(s: RoomState, section: SectionKey): boolean {
  const index = speechIndex(section);
  return index !== null && index < s.speeches.length;
}

/**
 * Folds a minutes event. A text withheld from this viewer (see visibility.ts) folds as an
 * empty text with the right version and status.
 */
export function foldMinutes(m: MinutesState, e: MinutesEvent, at: number): MinutesState {
  switch (e.type) {
    case 'minutes.edited': {
      const before = sectionOf(m, e.data.section);
      // An edit of a confirmed passage needs confirming again; a pending one stays pending.
      const confirmation = before.confirmation.status === 'confirmed' ? { status: 'draft' as const } : before.confirmation;
      return withSection(m, e.data.section, { text: e.data.text ?? '', version: e.data.version, confirmation });
    }
    case 'minutes.actionAdded': {
      const item = e.data.item;
      const actions = item ? [...m.actions, { id: e.data.actionId, ...item }] : m.actions;
      return { ...m, actions, actionsAdded: m.actionsAdded + 1 };
    }
    case 'minutes.actionRemoved':
      return { ...m, actions: m.actions.filter((a) => a.id !== e.data.actionId) };
    case 'minutes.statementSubmitted': {
      const text = e.data.text;
      if (text === undefined) return m;
      return { ...m, statements: [...m.statements, { participantId: e.data.participantId, text, submittedAt: at }] };
    }
    case 'minutes.confirmationRequested':
    case 'minutes.correctionRejected':
      return withSection(m, e.data.section, { ...sectionOf(m, e.data.section), confirmation: { status: 'pending' } });
    case 'minutes.confirmed':
      return withSection(m, e.data.section, { ...sectionOf(m, e.data.section), confirmation: { status: 'confirmed' } });
    case 'minutes.correctionProposed':
      return withSection(m, e.data.section, {
        ...sectionOf(m, e.data.section),
        confirmation: { status: 'correctionProposed', text: e.data.text ?? '' },
      });
    case 'minutes.correctionAccepted':
      return withSection(m, e.data.section, { text: e.data.text ?? '', version: e.data.version, confirmation: { status: 'confirmed' } });
    case 'minutes.locked': {
      const { version, chainSeq, chainHash, contentHash, comments, recording } = e.data;
      const locked = {
        version,
        chainSeq,
        chainHash,
        contentHash,
        lockedAt: at,
        content: currentContent(m),
        ...(comments ? { comments } : {}),
        ...(recording ? { recording } : {}),
      };
      return { ...m, locked: true, lockedVersions: [...m.lockedVersions, locked] };
    }
    case 'minutes.unlocked':
      return { ...m, locked: false, version: e.data.version };
    case 'minutes.published':
      return { ...m, published: e.data.published };
    default:
      return assertNever(e);
  }
}

function withSection(m: MinutesState, section: SectionKey, value: MinutesSection): MinutesState {
  return { ...m, sections: { ...m.sections, [section]: value } };
}

/*
 * What each participant sees of the minutes: those who keep them see everything; a speaker
 * sees the text of their own speech sections, an author their own written statements; the
 * others see that sections exist and how far their confirmation got, without their texts.
 */

/** The participant whose own text a minutes event carries (a speaker or an author), if any. */
function minutesEventOwner(e: MinutesEvent): string | null {
  switch (e.type) {
    case 'minutes.statementSubmitted':
      return e.data.participantId;
    case 'minutes.edited':
    case 'minutes.correctionProposed':
    case 'minutes.correctionAccepted':
      return e.data.speakerId;
    default:
      return null;
  }
}

/** The minutes event as `viewer` receives it: texts withheld but for their own. */
export function minutesEventForViewer(e: MinutesEvent, viewer: Viewer): MinutesEvent {
  if (keepsMinutes(viewer.role) || minutesEventOwner(e) === viewer.participantId) return e;
  switch (e.type) {
    case 'minutes.edited': {
      const { text: _text, ...rest } = e.data;
      return { ...e, data: rest };
    }
    case 'minutes.correctionAccepted': {
      const { text: _text, ...rest } = e.data;
      return { ...e, data: rest };
    }
    case 'minutes.correctionProposed': {
      const { text: _text, ...rest } = e.data;
      return { ...e, data: rest };
    }
    case 'minutes.actionAdded':
      return { ...e, data: { actionId: e.data.actionId } };
    case 'minutes.statementSubmitted':
      return { ...e, data: { participantId: e.data.participantId } };
    default:
      return e;
  }
}

/** Participants besides the chair whose view of `e` differs from an anonymous one: those who keep the minutes, and the owner of its text. */
export function minutesViewersWithOwnView(e: MinutesEvent, state: RoomState): string[] {
  const keepers = Object.values(state.participants)
    .filter((p) => p.role !== 'host' && keepsMinutes(p.role))
    .map((p) => p.id);
  const owner = minutesEventOwner(e);
  return owner === null ? keepers : [...keepers, owner];
}

/** The minutes as `viewer` may hold them. */
export function minutesForViewer(state: RoomState, viewer: Viewer): MinutesState {
  const m = state.minutes;
  if (keepsMinutes(viewer.role)) return m;
  // A locked version's content is the content folded so far, so it is withheld the same way.
  const lockedVersions = m.lockedVersions.map((v) => ({ ...v, content: contentForViewer(state, v.content, viewer) }));
  return { ...m, ...contentForViewer(state, currentContent(m), viewer), lockedVersions };
}

function contentForViewer(state: RoomState, content: MinutesContent, viewer: Viewer): MinutesContent {
  const sections: Record<string, MinutesSection> = {};
  for (const [key, section] of Object.entries(content.sections)) {
    if (sectionSpeaker(state, key) === viewer.participantId) {
      sections[key] = section;
      continue;
    }
    const confirmation = section.confirmation.status === 'correctionProposed' ? { status: 'correctionProposed' as const, text: '' } : section.confirmation;
    sections[key] = { ...section, text: '', confirmation };
  }
  return {
    sections,
    actions: [],
    statements: content.statements.filter((st) => st.participantId === viewer.participantId),
  };
}
