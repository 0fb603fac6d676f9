import { describe, expect, test } from 'vitest';
import { cameraShouldPause, consumerShouldPause, onStage, producerShouldPause, topLayers, type SourcedMedia } from './stageLayers.js';

const consumer = (type: string, scalabilityMode?: string) => ({ type, rtpParameters: { encodings: [{ scalabilityMode }] } });
const media = (id: string, kind: 'audio' | 'video', peerId: string, source: 'mic' | 'camera' | 'screen'): SourcedMedia => ({ id, kind, appData: { peerId, source } });

describe('topLayers()', () => {
  test('is the highest spatial and temporal layer of a simulcast or SVC consumer', () => {
    expect(topLayers(consumer('simulcast', 'L3T3'))).toEqual({ spatialLayer: 2, temporalLayer: 2 });
    expect(topLayers(consumer('simulcast', 'L2T1'))).toEqual({ spatialLayer: 1, temporalLayer: 0 });
    expect(topLayers(consumer('svc', 'L3T3_KEY'))).toEqual({ spatialLayer: 2, temporalLayer: 2 });
  });

  test('is null for a consumer without layers to choose', () => {
    expect(topLayers(consumer('simple'))).toBeNull();
    expect(topLayers(consumer('simulcast'))).toBeNull();
    expect(topLayers({ type: 'simulcast', rtpParameters: {} })).toBeNull();
  });
});

describe('what the server holds paused', () => {
  const stage = new Set(['speaker']);
  const speakerCamera = media('c1', 'video', 'speaker', 'camera');
  const otherCamera = media('c2', 'video', 'other', 'camera');
  const otherMic = media('c3', 'audio', 'other', 'mic');
  const screen = media('c4', 'video', 'other', 'screen');

  test('the stage is the floor holders’ cameras and any screen share, never audio', () => {
    expect([speakerCamera, otherCamera, otherMic, screen].map((c) => onStage(c, stage))).toEqual([true, false, false, true]);
    expect(onStage(media('c5', 'audio', 'speaker', 'mic'), stage)).toBe(false);
  });

  test('an audio-only peer receives audio and the stage, no other video, whatever its client asks', () => {
    const peer = { audioOnly: true, clientPaused: new Set<string>() };
    expect([speakerCamera, otherCamera, otherMic, screen].map((c) => consumerShouldPause(peer, c, stage))).toEqual([false, true, false, false]);
  });

  test('a client’s own pause holds, audio-only or not', () => {
    for (const audioOnly of [false, true]) {
      const peer = { audioOnly, clientPaused: new Set(['c1', 'c3']) };
      expect(consumerShouldPause(peer, speakerCamera, stage)).toBe(true);
      expect(consumerShouldPause(peer, otherMic, stage)).toBe(true);
    }
    expect(consumerShouldPause({ audioOnly: false, clientPaused: new Set() }, otherCamera, stage)).toBe(false);
  });

  test('audio-only pauses the camera, not the microphone or a screen share', () => {
    expect(cameraShouldPause({ audioOnly: true }, media('p1', 'video', 'me', 'camera'))).toBe(true);
    expect(cameraShouldPause({ audioOnly: true }, media('p2', 'audio', 'me', 'mic'))).toBe(false);
    expect(cameraShouldPause({ audioOnly: true }, media('p3', 'video', 'me', 'screen'))).toBe(false);
    expect(cameraShouldPause({ audioOnly: false }, media('p1', 'video', 'me', 'camera'))).toBe(false);
  });
});

describe('which of a peer’s own producers the server holds paused', () => {
  const mic = media('p1', 'audio', 'me', 'mic');
  const camera = media('p2', 'video', 'me', 'camera');
  const screen = media('p3', 'video', 'me', 'screen');
  const peer = (over: { audioOnly?: boolean; audioAllowed?: boolean; selfMuted?: string[] }) => ({
    audioOnly: over.audioOnly ?? false,
    audioAllowed: over.audioAllowed ?? true,
    selfMuted: new Set(over.selfMuted ?? []),
  });

  test('what the sender muted stays paused, whatever the room allows', () => {
    const muted = peer({ selfMuted: ['p1', 'p2', 'p3'] });
    expect([mic, camera, screen].map((p) => producerShouldPause(muted, p))).toEqual([true, true, true]);
  });

  test('a microphone is paused while the room does not let it be heard; video is not', () => {
    const notHeard = peer({ audioAllowed: false });
    expect([mic, camera, screen].map((p) => producerShouldPause(notHeard, p))).toEqual([true, false, false]);
    expect([mic, camera, screen].map((p) => producerShouldPause(peer({}), p))).toEqual([false, false, false]);
  });

  test('audio-only pauses the camera alone: the microphone and a screen share go on', () => {
    const audioOnly = peer({ audioOnly: true });
    expect([mic, camera, screen].map((p) => producerShouldPause(audioOnly, p))).toEqual([false, true, false]);
  });
});
