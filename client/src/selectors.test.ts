import { describe, expect, test } from 'vitest';
import type { ConsumerInfo } from '../../signaling/protocol.js';
import { participantCount, selectAudioConsumers, selectPeerTiles, selectStage } from './selectors.js';
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
