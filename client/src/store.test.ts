import { describe, expect, test } from 'vitest';
import type { ConsumerInfo, PeerInfo } from '../../signaling/protocol.js';
import { createStore, initialState, reduce, type Action, type State } from './store.js';

const rtpParameters = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }] };

function consumer(id: string, peerId: string, over: Partial<ConsumerInfo> = {}): ConsumerInfo {
  return { id, producerId: `p-${id}`, peerId, kind: 'audio', source: 'mic', rtpParameters, producerPaused: false, ...over };
}

function peer(id: string, displayName = id): PeerInfo {
  return { id, displayName, producers: [] };
}

function run(actions: Action[], start: State = initialState()): State {
  return actions.reduce(reduce, start);
}

function joinedWith(...peers: PeerInfo[]): State {
  return run([
    { type: 'joining', roomId: 'r1', displayName: '张三' },
    { type: 'joined', peerId: 'me', peers },
  ]);
}

describe('reduce()', () => {
  test('joining then joined enters the room with the listed peers', () => {
    const state = joinedWith(peer('a', '李四'));
    expect(state.phase).toBe('joined');
    expect(state.peerId).toBe('me');
    expect(state.roomId).toBe('r1');
    expect(state.peers).toEqual({ a: { id: 'a', displayName: '李四' } });
  });

  test('joinFailed returns to the join page with the error code', () => {
    const state = run([{ type: 'joining', roomId: 'r1', displayName: 'x' }, { type: 'joinFailed', error: 'TIMEOUT' }]);
    expect(state.phase).toBe('idle');
    expect(state.error).toBe('TIMEOUT');
  });

  test('a RATE_LIMITED refusal keeps the time to wait, in whole seconds, for the alert to show', () => {
    expect(run([{ type: 'failed', error: 'RATE_LIMITED', retryAfterMs: 2_300 }]).errorRetrySeconds).toBe(3);
    expect(run([{ type: 'failed', error: 'RATE_LIMITED', retryAfterMs: 10 }]).errorRetrySeconds).toBe(1);
    // Another error afterwards has no retry time of its own.
    expect(run([{ type: 'failed', error: 'RATE_LIMITED', retryAfterMs: 5_000 }, { type: 'failed', error: 'FORBIDDEN' }]).errorRetrySeconds).toBeNull();
  });

  test('joining clears an earlier error', () => {
    const state = run([{ type: 'failed', error: 'INTERNAL' }, { type: 'joining', roomId: 'r', displayName: 'x' }]);
    expect(state.error).toBeNull();
  });

  test('peerLeft removes the peer, its consumers and its active-speaker mark', () => {
    const state = run(
      [
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'consumerAdded', consumer: consumer('c2', 'b') },
        { type: 'activeSpeaker', peerId: 'a' },
        { type: 'peerLeft', peerId: 'a' },
      ],
      joinedWith(peer('a'), peer('b')),
    );
    expect(Object.keys(state.peers)).toEqual(['b']);
    expect(Object.keys(state.consumers)).toEqual(['c2']);
    expect(state.activeSpeakerId).toBeNull();
  });

  test('peerLeft of an unknown peer returns the same state object', () => {
    const state = joinedWith(peer('a'));
    expect(reduce(state, { type: 'peerLeft', peerId: 'zzz' })).toBe(state);
  });

  test('consumerAdded of an already consumed producer replaces the old consumer', () => {
    const state = run(
      [
        { type: 'consumerAdded', consumer: consumer('c1', 'a', { producerId: 'p' }) },
        { type: 'consumerAdded', consumer: consumer('c9', 'a', { producerId: 'p' }) },
      ],
      joinedWith(peer('a')),
    );
    expect(Object.keys(state.consumers)).toEqual(['c9']);
  });

  test('consumerProducerPaused and consumerLayer patch only the named consumer', () => {
    const state = run(
      [
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'consumerAdded', consumer: consumer('c2', 'a', { kind: 'video', source: 'camera' }) },
        { type: 'consumerProducerPaused', consumerId: 'c1', paused: true },
        { type: 'consumerLayer', consumerId: 'c2', spatialLayer: 1 },
      ],
      joinedWith(peer('a')),
    );
    expect(state.consumers['c1']?.producerPaused).toBe(true);
    expect(state.consumers['c1']?.spatialLayer).toBeNull();
    expect(state.consumers['c2']?.producerPaused).toBe(false);
    expect(state.consumers['c2']?.spatialLayer).toBe(1);
  });

  test('patching an unknown consumer returns the same state object', () => {
    const state = joinedWith();
    expect(reduce(state, { type: 'consumerProducerPaused', consumerId: 'nope', paused: true })).toBe(state);
  });

  test('a resumed join drops consumers of peers who left while we were away', () => {
    const before = run(
      [
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'consumerAdded', consumer: consumer('c2', 'b') },
        { type: 'activeSpeaker', peerId: 'a' },
        { type: 'connectionLost' },
      ],
      joinedWith(peer('a'), peer('b')),
    );
    expect(before.reconnecting).toBe(true);
    const after = reduce(before, { type: 'joined', peerId: 'me', peers: [peer('b')] });
    expect(after.reconnecting).toBe(false);
    expect(Object.keys(after.consumers)).toEqual(['c2']);
    expect(after.activeSpeakerId).toBeNull();
  });

  test('connectionLost outside the room changes nothing', () => {
    const state = initialState();
    expect(reduce(state, { type: 'connectionLost' })).toBe(state);
  });

  test('transportsReset forgets consumers and producer ids but keeps local tracks and mute state', () => {
    const state = run(
      [
        { type: 'localSet', source: 'mic', media: { trackId: 't1', producerId: null, paused: true } },
        { type: 'localPatched', source: 'mic', patch: { producerId: 'p1' } },
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'transportsReset' },
      ],
      joinedWith(peer('a')),
    );
    expect(state.consumers).toEqual({});
    expect(state.local.mic).toEqual({ trackId: 't1', producerId: null, paused: true });
  });

  test('localPatched on a source without a track is ignored', () => {
    const state = initialState();
    expect(reduce(state, { type: 'localPatched', source: 'camera', patch: { paused: true } })).toBe(state);
  });

  test('left keeps name, room and device choices but nothing of the session', () => {
    const state = run(
      [
        { type: 'deviceLoaded' },
        { type: 'deviceSelected', kind: 'camera', deviceId: 'cam-2' },
        { type: 'localSet', source: 'camera', media: { trackId: 't', producerId: 'p', paused: false } },
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'left', error: 'SERVER_CLOSED' },
      ],
      joinedWith(peer('a')),
    );
    expect(state.phase).toBe('left');
    expect(state.roomId).toBe('r1');
    expect(state.displayName).toBe('张三');
    expect(state.deviceLoaded).toBe(true);
    expect(state.selectedDevice.camera).toBe('cam-2');
    expect(state.local.camera).toBeNull();
    expect(state.peers).toEqual({});
    expect(state.consumers).toEqual({});
    expect(state.error).toBe('SERVER_CLOSED');
  });

  test('state stays JSON-serializable', () => {
    const state = run(
      [
        { type: 'devicesListed', audioinput: [{ deviceId: 'm', label: 'Mic' }], videoinput: [] },
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
      ],
      joinedWith(peer('a')),
    );
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('reduce() for consultation rooms', () => {
  const info = {
    invite: { room: 'r1', role: 'member' as const, venue: 'city', sector: '', inviteId: 'abcdefgh' },
    room: { roomId: 'r1', topic: '电梯', startsAt: null, endsAt: null, venues: [{ id: 'city', name: '主会场', expectedMembers: 1 }], ended: false, minutesPublished: false },
  };

  test('the lobby holds me out of the room until media joins', () => {
    const lobby = run([{ type: 'joining', roomId: 'r1', displayName: '张三' }, { type: 'lobby', peerId: 'me' }]);
    expect(lobby.phase).toBe('lobby');
    expect(lobby.peerId).toBe('me');
    expect(reduce(lobby, { type: 'joined', peerId: 'me', peers: [] }).phase).toBe('joined');
  });

  test('exiting keeps the invite and the reason, and drops media', () => {
    const state = run(
      [
        { type: 'invite', invite: { kind: 'ready', token: 't', info } },
        { type: 'consumerAdded', consumer: consumer('c1', 'a') },
        { type: 'exited', reason: 'removed' },
      ],
      joinedWith(peer('a')),
    );
    expect(state.exit).toBe('removed');
    expect(state.phase).toBe('left');
    expect(state.consumers).toEqual({});
    expect(state.invite.kind).toBe('ready');
  });

  test('leaving keeps the invite so the join page can offer to come back', () => {
    const state = run([{ type: 'invite', invite: { kind: 'ready', token: 't', info } }, { type: 'left' }], joinedWith());
    expect(state.invite).toMatchObject({ kind: 'ready', token: 't' });
    expect(state.room).toBeNull();
  });

  test('a refused unmute is remembered until cleared', () => {
    const refused = run([{ type: 'micRefused', refused: true }]);
    expect(refused.micRefused).toBe(true);
    expect(reduce(refused, { type: 'micRefused', refused: true })).toBe(refused);
    expect(reduce(refused, { type: 'micRefused', refused: false }).micRefused).toBe(false);
  });

  test('the chosen speaking time is one value, kept until the meeting is left', () => {
    const chosen = run([{ type: 'speechSeconds', seconds: 300 }], joinedWith());
    expect(chosen.speechSeconds).toBe(300);
    expect(reduce(chosen, { type: 'speechSeconds', seconds: 300 })).toBe(chosen);
    expect(reduce(chosen, { type: 'left' }).speechSeconds).toBeNull();
  });
});

describe('createStore()', () => {
  test('notifies subscribers on change and not on a no-op action', () => {
    const store = createStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.dispatch({ type: 'deviceLoaded' });
    store.dispatch({ type: 'connectionLost' });
    expect(calls).toBe(1);
    unsubscribe();
    store.dispatch({ type: 'failed', error: 'MEDIA' });
    expect(calls).toBe(1);
    expect(store.getState().error).toBe('MEDIA');
  });
});
