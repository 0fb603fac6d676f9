import { describe, expect, test } from 'vitest';
import { SegmentName, streamPlaylistPath, StreamRoomId } from './stream.js';

describe('the stream contract', () => {
  test('the playlist of a room is /stream/<roomId>/index.m3u8', () => {
    expect(streamPlaylistPath('STtIABjl')).toBe('/stream/STtIABjl/index.m3u8');
  });

  test.each(['seg-mx70b0zb-3.ts', 'seg-a-0.ts', 'seg-abcdefghijkl-1234567890.ts'])('%s is a segment name', (name) => {
    expect(SegmentName.safeParse(name).success).toBe(true);
  });

  test.each([
    'index.m3u8',
    'program.sdp',
    'seg-1.ts',
    'seg-abc-1.ts.tmp',
    '../seg-abc-1.ts',
    'seg-abc-1.ts/..',
    'seg-ABC-1.ts',
    'seg-abc-1.TS',
    'seg-abc-12345678901.ts',
    'seg-abc--1.ts',
    'seg-abc-1.ts\n',
    '',
  ])('%j is not', (name) => {
    expect(SegmentName.safeParse(name).success).toBe(false);
  });

  test('a room id is letters, digits, - and _, nothing that walks the file system', () => {
    expect(StreamRoomId.safeParse('STtIABjl').success).toBe(true);
    for (const bad of ['..', '.', 'a/b', 'a.b', '', 'x'.repeat(65)]) expect(StreamRoomId.safeParse(bad).success, bad).toBe(false);
  });
});
