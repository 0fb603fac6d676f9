/**
 * A consultation recorded from the server (test/fixtures/replay, made by
 * scripts/record-replay-fixture.ts) replays to what the server held when it wrote it: the
 * rooms already on disk read the same after any change to the model, and every participant
 * sees of them what they saw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { applyAll } from '../../signaling/room/apply.js';
import type { RoomEventType } from '../../signaling/room/events.js';
import { emptyRoom } from '../../signaling/room/state.js';
import { eventForViewer, stateForViewer } from '../../signaling/room/visibility.js';
import { REPLAY_FIXTURE, REPLAY_VIEWERS, type ReplayFixture } from '../../test/fixtures/replay/fixture.js';
import { findChainBreak } from '../store/hashChain.js';

/**
 * Every kind of event the log may hold. Typed as a record of all of them: adding a kind to the
 * model fails the type check here until the fixture is recorded again with a meeting that uses it.
 */
const EVERY_KIND: Record<RoomEventType, true> = {
  'comment.staged': true,
  'comment.unstaged': true,
  'comment.withdrawn': true,
  'recording.started': true,
  'recording.stopped': true,
  'recording.partStarted': true,
  'recording.published': true,
  'floor.ended': true,
  'floor.extended': true,
  'floor.granted': true,
  'floor.interrupted': true,
  'floor.interruptedRevoked': true,
  'floor.paused': true,
  'floor.resumed': true,
  'media.allMuted': true,
  'media.forceMuted': true,
  'media.unmuteAllowed': true,
  'minutes.actionAdded': true,
  'minutes.actionRemoved': true,
  'minutes.confirmationRequested': true,
  'minutes.confirmed': true,
  'minutes.correctionAccepted': true,
  'minutes.correctionProposed': true,
  'minutes.correctionRejected': true,
  'minutes.edited': true,
  'minutes.locked': true,
  'minutes.published': true,
  'minutes.statementSubmitted': true,
  'minutes.unlocked': true,
  'participant.admitted': true,
  'participant.arrived': true,
  'participant.arrivedForReview': true,
  'participant.denied': true,
  'participant.disconnected': true,
  'participant.left': true,
  'participant.reconnected': true,
  'participant.removed': true,
  'poll.closed': true,
  'poll.created': true,
  'poll.opened': true,
  'poll.published': true,
  'poll.voted': true,
  'queue.handLowered': true,
  'queue.handRaised': true,
  'queue.openChanged': true,
  'queue.reordered': true,
  'rollCall.confirmed': true,
  'rollCall.ended': true,
  'rollCall.heard': true,
  'rollCall.headcount': true,
  'rollCall.started': true,
  'room.chairHandedOver': true,
  'room.created': true,
  'room.ended': true,
  'room.settingsChanged': true,

};

/**
 * Kinds added after the fixture was recorded: the fixture is the record of an older release and
 * stays as it was written, so these are checked by their parts' own tests instead.
 */
const NEWER_THAN_FIXTURE = new Set<string>(['rollCall.heard', 'rollCall.headcount', 'floor.interrupted', 'floor.interruptedRevoked']);

const recorded = JSON.parse(readFileSync(REPLAY_FIXTURE, 'utf8')) as ReplayFixture;
const folded = applyAll(emptyRoom(recorded.roomId), recorded.events);

describe('a recorded consultation replays', () => {
  test('its log is whole: seqs and hashes as written', () => {
    expect(recorded.events.length).toBeGreaterThan(80);
    expect(findChainBreak(recorded.events)).toBeNull();
  });

  test('it uses every kind of event the log may hold', () => {
    const recordedBefore = Object.keys(EVERY_KIND).filter((kind) => !NEWER_THAN_FIXTURE.has(kind));
    expect(new Set(recorded.events.map((e) => e.type))).toEqual(new Set(recordedBefore));
  });

  test('folding the log gives the state the server held', () => {
    expect(folded).toEqual(recorded.state);
  });

  test.each(REPLAY_VIEWERS)('%s is shown the state and the events they were shown', (participantId) => {
    const role = folded.participants[participantId]?.role;
    expect(role).toBeDefined();
    const viewer = { participantId, role: role! };
    const view = recorded.views[participantId]!;
    expect(stateForViewer(folded, viewer)).toEqual(view.state);
    expect(recorded.events.map((event) => eventForViewer(event, viewer))).toEqual(view.events);
    // What their client folds from the events it was sent is the state it would be sent.
    expect(applyAll(emptyRoom(recorded.roomId), view.events)).toEqual(view.state);
  });
});
