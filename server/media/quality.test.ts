import { describe, expect, test, vi } from 'vitest';
import { linkScore, peerScore, producerScore, QualityReporter, roomScores, type QualitySource, type ScoredPeer } from './quality.js';

const producer = (...scores: number[]) => ({ paused: false, score: scores.map((score) => ({ score })) });
const paused = (...scores: number[]) => ({ ...producer(...scores), paused: true });
const peer = (id: string, ...producers: Array<{ paused: boolean; score: Array<{ score: number }> }>): ScoredPeer => ({
  id,
  producers: new Map(producers.map((p, i) => [`${id}-${i}`, p])),
});

describe('quality scores', () => {
  test('producerScore() is the best simulcast stream, null before any stream is scored', () => {
    expect(producerScore(producer())).toBeNull();
    expect(producerScore(producer(10))).toBe(10);
    // Upper layers the browser stopped sending score 0; the link still carries the lower ones.
    expect(producerScore(producer(9, 0, 0))).toBe(9);
  });

  test('peerScore() is the worst of its producers, skipping those not yet scored', () => {
    expect(peerScore(peer('a'))).toBeNull();
    expect(peerScore(peer('a', producer()))).toBeNull();
    expect(peerScore(peer('a', producer(10), producer(4, 6)))).toBe(6);
    expect(peerScore(peer('a', producer(10), producer(3), producer()))).toBe(3);
  });

  test('peerScore() leaves out paused producers: a camera turned off sends nothing, which is no weak link', () => {
    expect(peerScore(peer('a', producer(9), paused(0)))).toBe(9);
    expect(peerScore(peer('a', paused(0)))).toBeNull();
  });

  test('roomScores() lists only peers with a score', () => {
    expect(roomScores([peer('a', producer(8)), peer('b'), peer('c', producer(2), producer(10))])).toEqual([
      { peerId: 'a', score: 8 },
      { peerId: 'c', score: 2 },
    ]);
  });
});

describe('linkScore()', () => {
  const consumer = (score: number, paused = false, producerPaused = false) => ({ paused, producerPaused, score: { score } });
  const linked = (producers: Array<{ paused: boolean; score: Array<{ score: number }> }>, consumers: Array<ReturnType<typeof consumer>>) => ({
    ...peer('a', ...producers),
    consumers: new Map(consumers.map((c, i) => [`c${i}`, c])),
  });

  test('is the worst of what the peer sends and what it receives', () => {
    expect(linkScore(linked([producer(9)], [consumer(10), consumer(3)]))).toBe(3);
    expect(linkScore(linked([producer(2)], [consumer(10)]))).toBe(2);
    // A receive-only peer (the camera and microphone off) is still measured.
    expect(linkScore(linked([], [consumer(7)]))).toBe(7);
  });

  test('leaves out paused streams, which carry nothing, and is null when nothing is scored', () => {
    expect(linkScore(linked([producer(9)], [consumer(0, true), consumer(1, false, true)]))).toBe(9);
    expect(linkScore(linked([producer()], [consumer(0, true)]))).toBeNull();
  });
});

describe('QualityReporter', () => {
  test('reports while the room has peers, not while it is empty, and stops when it closes', () => {
    vi.useFakeTimers();
    try {
      const room: { -readonly [K in keyof QualitySource]: QualitySource[K] } = { closed: false, size: 1, peers: () => [peer('a', producer(7))] };
      const reports: unknown[] = [];
      const reporter = new QualityReporter(room, (scores) => reports.push(scores), 5_000);
      vi.advanceTimersByTime(4_999);
      expect(reports).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(reports).toEqual([[{ peerId: 'a', score: 7 }]]);
      room.size = 0;
      vi.advanceTimersByTime(5_000);
      expect(reports).toHaveLength(1);
      room.size = 1;
      room.closed = true;
      vi.advanceTimersByTime(15_000);
      expect(reports).toHaveLength(1);
      reporter.close();
      reporter.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
