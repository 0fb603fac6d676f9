import { describe, expect, test } from 'vitest';
import { fullRoom } from '../../../signaling/room/testing.js';
import { initialState, type RemoteConsumer, type State } from '../store.js';
import { consumersToPause, pauseChanges, stageConsumers } from './visibility.js';

const video = (id: string) => ({ id, kind: 'video' as const });
const audio = (id: string) => ({ id, kind: 'audio' as const });

describe('consumersToPause()', () => {
  test('pauses off-screen video only', () => {
    const consumers = [video('v1'), video('v2'), audio('a1')];
    expect(consumersToPause(consumers, new Set(['v1']), new Set())).toEqual(new Set(['v1']));
  });

  test('never pauses audio, even when reported off-screen', () => {
    expect(consumersToPause([audio('a1')], new Set(['a1']), new Set())).toEqual(new Set());
  });

  test('never pauses the video on the stage, even when its gallery tile is off-screen', () => {
    expect(consumersToPause([video('v1'), video('v2')], new Set(['v1', 'v2']), new Set(['v2']))).toEqual(new Set(['v1']));
  });

  test('a consumer without a report counts as visible', () => {
    expect(consumersToPause([video('v1')], new Set(), new Set())).toEqual(new Set());
  });
});

describe('pauseChanges()', () => {
  test('asks to pause the newly hidden and to resume the newly visible', () => {
    expect(pauseChanges(new Set(['a', 'b']), new Set(['b', 'c']))).toEqual({ pause: ['c'], resume: ['a'] });
    expect(pauseChanges(new Set(['a']), new Set(['a']))).toEqual({ pause: [], resume: [] });
  });
});

describe('stageConsumers()', () => {
  const consumer = (id: string, peerId: string, source: RemoteConsumer['source'], kind: RemoteConsumer['kind'] = 'video'): RemoteConsumer => ({
    id,
    producerId: `p-${id}`,
    peerId,
    kind,
    source,
    producerPaused: false,
    spatialLayer: null,
  });
  const state = (room = fullRoom()): State => ({
    ...initialState(),
    phase: 'joined',
    peerId: 'host',
    room: room.state,
    consumers: {
      c1: consumer('c1', 'm1', 'camera'),
      a1: consumer('a1', 'm1', 'mic', 'audio'),
      c2: consumer('c2', 'm2', 'camera'),
    },
  });

  test('is empty without a floor or a screen share', () => {
    expect(stageConsumers(state())).toEqual(new Set());
  });

  test('holds the floor holder’s camera', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' } }, 'host');
    expect(stageConsumers(state(room))).toEqual(new Set(['c2']));
  });

  test('holds a screen share', () => {
    const s = state();
    expect(stageConsumers({ ...s, consumers: { ...s.consumers, s1: consumer('s1', 'm1', 'screen') } })).toEqual(new Set(['s1']));
  });
});
