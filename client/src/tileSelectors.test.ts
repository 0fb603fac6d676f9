import { describe, expect, test } from 'vitest';
import type { ConsumerInfo } from '../../signaling/protocol.js';
import { groupTilesByVenue, participantCount, selectAudioConsumers, selectPeerTiles, selectStage } from './tileSelectors.js';
import { fullRoom } from '../../signaling/room/testing.js';
import { emptyRoom } from '../../signaling/room/state.js';
import { initialState, reduce, type Action, type State } from './store.js';

const rtpParameters = { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }] };

function consumer(id: string, peerId: string, kind: 'audio' | 'video', source: ConsumerInfo['source'], producerPaused = false): Action {
  return { type: 'consumerAdded', consumer: { id, producerId: `p-${id}`, peerId, kind, source, rtpParameters, producerPaused } };
}

function room(...actions: Action[]): State {
  return [
    { type: 'joined', peerId: 'me', peers: [{ id: 'a', displayName: 'A', producers: [] }, { id: 'b', displayName: 'B', producers: [] }] } satisfies Action,
    ...actions,
  ].reduce(reduce, initialState());
}

describe('selectPeerTiles()', () => {
  test('a peer without a microphone counts as muted and without a camera as camera off', () => {
    const [a] = selectPeerTiles(room());
    expect(a).toMatchObject({ peerId: 'a', micMuted: true, cameraOff: true, videoConsumerId: null });
  });

  test('live mic and camera consumers show an unmuted tile with video', () => {
    const [a] = selectPeerTiles(room(consumer('m', 'a', 'audio', 'mic'), consumer('v', 'a', 'video', 'camera')));
    expect(a).toMatchObject({ micMuted: false, cameraOff: false, videoConsumerId: 'v' });
  });

  test('paused producers show as muted and camera off', () => {
    const [a] = selectPeerTiles(room(consumer('m', 'a', 'audio', 'mic', true), consumer('v', 'a', 'video', 'camera', true)));
    expect(a).toMatchObject({ micMuted: true, cameraOff: true, videoConsumerId: 'v' });
  });

  test('a peer who sends anew from another server process shows the new camera and microphone, not the ones from before', () => {
    const before = [consumer('m-old', 'a', 'audio', 'mic', true), consumer('v-old', 'a', 'video', 'camera')];
    const [a] = selectPeerTiles(room(...before, consumer('m-new', 'a', 'audio', 'mic'), consumer('v-new', 'a', 'video', 'camera')));
    expect(a).toMatchObject({ videoConsumerId: 'v-new', micMuted: false });
  });

  test('a screen share is not the camera', () => {
    const [a] = selectPeerTiles(room(consumer('s', 'a', 'video', 'screen')));
    expect(a?.videoConsumerId).toBeNull();
  });

  test('the active speaker is marked on exactly one tile', () => {
    const tiles = selectPeerTiles(room({ type: 'activeSpeaker', peerId: 'b' }));
    expect(tiles.map((t) => t.activeSpeaker)).toEqual([false, true]);
  });
});

describe('selectStage()', () => {
  test('nothing shared, no stage', () => {
    expect(selectStage(room())).toBeNull();
  });

  test('a remote screen share takes the stage', () => {
    expect(selectStage(room(consumer('s', 'b', 'video', 'screen')))).toEqual({
      kind: 'remote-screen',
      peerId: 'b',
      displayName: 'B',
      consumerId: 's',
    });
  });

  test('my own share takes the stage when nobody else shares', () => {
    const state = room({ type: 'localSet', source: 'screen', media: { trackId: 't', producerId: null, paused: false } });
    expect(selectStage(state)).toEqual({ kind: 'local-screen' });
  });
});

describe('selectAudioConsumers() and participantCount()', () => {
  test('lists audio consumers only and counts me in', () => {
    const state = room(consumer('m', 'a', 'audio', 'mic'), consumer('v', 'a', 'video', 'camera'));
    expect(selectAudioConsumers(state).map((c) => c.id)).toEqual(['m']);
    expect(participantCount(state)).toBe(3);
  });
});

describe('selectPeerTiles() in a consultation', () => {
  test('the public get no tile', () => {
    const base = room();
    const state = {
      ...base,
      room: {
        ...emptyRoom('r'),
        participants: {
          a: { id: 'a', inviteId: 'ia', name: 'A', role: 'member' as const, venue: 'city', sector: '', status: 'admitted' as const, online: true, presences: [], forceMuted: false, speeches: 0 },
          b: { id: 'b', inviteId: 'ib', name: 'B', role: 'public' as const, venue: 'city', sector: '', status: 'admitted' as const, online: true, presences: [], forceMuted: false, speeches: 0 },
        },
      },
    };
    expect(selectPeerTiles(state).map((t) => t.peerId)).toEqual(['a']);
  });
});

describe('groupTilesByVenue()', () => {
  const tile = (peerId: string) => ({ peerId, displayName: peerId, videoConsumerId: null, cameraOff: true, micMuted: true, activeSpeaker: false });
  // fullRoom: host, sec, obs in city; m1 city; m2 d1; v1 d2.
  const state = (me: string): State => ({ ...initialState(), phase: 'joined', peerId: me, room: fullRoom().state });

  test('groups tiles under their venue in the room’s venue order, leaving out empty venues', () => {
    const groups = groupTilesByVenue(state('m2'), [tile('v1'), tile('m1'), tile('host')], false);
    expect(groups.map((g) => [g.venue, g.name, g.tiles.map((t) => t.peerId)])).toEqual([
      ['city', '主会场', ['m1', 'host']],
      ['d2', '二区', ['v1']],
    ]);
  });

  test('keeps my venue for my own tile, even with nobody else there', () => {
    const groups = groupTilesByVenue(state('m2'), [tile('m1')], true);
    expect(groups.map((g) => [g.venue, g.me, g.tiles.length])).toEqual([
      ['city', false, 1],
      ['d1', true, 0],
    ]);
  });

  test('puts participants of an unlisted venue last, without a name', () => {
    const s = state('host');
    const room = s.room;
    if (room === null) throw new Error('no room');
    const m1 = room.participants['m1'];
    if (m1 === undefined) throw new Error('no m1');
    const moved: State = { ...s, room: { ...room, participants: { ...room.participants, m1: { ...m1, venue: 'gone' } } } };
    expect(groupTilesByVenue(moved, [tile('m1')], false)).toEqual([{ venue: '', name: null, me: false, tiles: [tile('m1')] }]);
  });
});
