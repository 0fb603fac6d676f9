import { describe, expect, test } from 'vitest';
import { cameraShouldPause, consumerShouldPause, onStage, topLayers, type SourcedMedia } from './stageLayers.js';

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
