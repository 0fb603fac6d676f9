/**
 * MicActivity tells sound from silence by the packets a microphone sends (Opus with DTX), and
 * listens only while a roll call checked by media runs. Producers here are stand-ins whose
 * packet count the test moves; the real worker is in test/roll-call.test.ts.
 */
import type { types } from 'mediasoup';
import { describe, expect, test } from 'vitest';
import type { RoomState } from '../../signaling/room/state.js';
import { fullRoom } from '../../signaling/room/testing.js';
import { createLogger } from '../log.js';
import { MicActivity, type MicSource } from './MicActivity.js';
import type { MediaAppData } from './Peer.js';

type FakeProducer = { id: string; kind: 'audio' | 'video'; closed: boolean; appData: MediaAppData; packets: number; getStats(): Promise<Array<{ packetCount: number }>> };

function producer(id: string, peerId: string, source: MediaAppData['source'] = 'mic', kind: 'audio' | 'video' = 'audio'): FakeProducer {
  const p: FakeProducer = { id, kind, closed: false, appData: { peerId, source }, packets: 0, getStats: async () => [{ packetCount: p.packets }] };
  return p;
}

function setUp() {
  let now = 1_000_000;
  const speaker = producer('p-speaker', 'm1');
  const quiet = producer('p-quiet', 'm2');
  const camera = producer('p-cam', 'v1', 'camera', 'video');
  const asMap = (...ps: FakeProducer[]) => new Map(ps.map((p) => [p.id, p as unknown as types.Producer<MediaAppData>]));
  const room: MicSource = {
    closed: false,
    peers: () => [
      { id: 'm1', producers: asMap(speaker) },
      { id: 'm2', producers: asMap(quiet) },
      { id: 'v1', producers: asMap(camera) },
    ],
  };
  const mics = new MicActivity({ find: async () => room, logger: createLogger('silent'), clock: () => now, sampleMs: 1e9 });
  const heard: string[] = [];
  mics.on('heard', (_roomId, id) => heard.push(id));
  /** One second passes: the speaker sends sound (50 packets), the quiet one DTX silence (3). */
  const second = () => {
    now += 1000;
    speaker.packets += 50;
    quiet.packets += 3;
  };
  return { mics, heard, second, now: () => now };
}

function rollCallRunning(): RoomState {
  const room = fullRoom();
  room.ok({ type: 'rollCall:start' }, 'host');
  return room.state;
}

describe('MicActivity', () => {
  test('hears a microphone sending sound, not one sending silence, and says who sends none', async () => {
    const { mics, heard, second, now } = setUp();
    mics.follow('r', rollCallRunning());
    await mics.fact('r', 'm1');
    await mics.fact('r', 'm2');
    second();
    expect(await mics.fact('r', 'm1')).toEqual({ hasMic: true, heardAt: now() });
    expect(await mics.fact('r', 'm2')).toEqual({ hasMic: true, heardAt: null });
    // A camera is not a microphone.
    expect(await mics.fact('r', 'v1')).toEqual({ hasMic: false, heardAt: null });
    expect(heard).toEqual(['m1']);
    mics.close();
  });

  test('hears nothing while no roll call runs, and forgets what it heard when it ends', async () => {
    const { mics, heard, second } = setUp();
    await mics.fact('r', 'm1');
    second();
    expect(await mics.fact('r', 'm1')).toEqual({ hasMic: true, heardAt: null });
    mics.follow('r', rollCallRunning());
    second();
    await mics.fact('r', 'm1');
    expect(heard).toEqual(['m1']);
    const ended = fullRoom();
    ended.ok({ type: 'rollCall:start' }, 'host');
    ended.ok({ type: 'rollCall:end' }, 'host');
    mics.follow('r', ended.state);
    second();
    expect(await mics.fact('r', 'm1')).toEqual({ hasMic: true, heardAt: null });
    expect(heard).toEqual(['m1']);
    mics.close();
  });
});
