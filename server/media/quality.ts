/**
 * Sending quality per peer, from mediasoup's producer scores (0 = unusable, 10 = perfect),
 * reported to the room's hosts at an interval so the console can show each venue's link.
 */
import type { PeerScore } from '../../signaling/protocol.js';

/**
 * What the scores are read from: a producer's score per RTP stream (one per simulcast
 * encoding), and whether it is paused (camera off, audio-only).
 */
export type ScoredProducer = { readonly paused: boolean; readonly score: ReadonlyArray<{ readonly score: number }> };

/** What a peer offers the report: its id and its producers. */
export type ScoredPeer = { readonly id: string; readonly producers: ReadonlyMap<string, ScoredProducer> };

/** How often hosts hear about quality. */
export const QUALITY_INTERVAL_MS = 5_000;

/**
 * One producer's score: its best stream. NOTE: a simulcast producer has one score per
 * encoding, and the browser stops sending the upper encodings when bandwidth is short; those
 * drop to 0 while the layers that still arrive are fine, so the worst encoding would
 * understate the link. Null before mediasoup has scored any stream.
 */
export function producerScore(producer: ScoredProducer): number | null {
  if (producer.score.length === 0) return null;
  return Math.max(...producer.score.map((s) => s.score));
}

/**
 * A peer's sending quality: the lowest score of its producers, or null when none is scored.
 * NOTE: a paused producer is left out: a camera turned off (or held back by audio-only) sends
 * nothing, and its score falling to 0 says nothing of the link.
 */
export function peerScore(peer: ScoredPeer): number | null {
  const scores: number[] = [];
  for (const producer of peer.producers.values()) {
    if (producer.paused) continue;
    const score = producerScore(producer);
    if (score !== null) scores.push(score);
  }
  return scores.length === 0 ? null : Math.min(...scores);
}

/** Every peer with a scored producer, with its score. */
export function roomScores(peers: Iterable<ScoredPeer>): PeerScore[] {
  const out: PeerScore[] = [];
  for (const peer of peers) {
    const score = peerScore(peer);
    if (score !== null) out.push({ peerId: peer.id, score });
  }
  return out;
}

/** What a link score reads of a consumer: mediasoup's score of the stream sent to the peer. */
export type ScoredConsumer = { readonly paused: boolean; readonly producerPaused: boolean; readonly score: { readonly score: number } };

/** What a peer offers its own link score: what it sends and what it receives. */
export type LinkPeer = ScoredPeer & { readonly consumers: ReadonlyMap<string, ScoredConsumer> };

/**
 * A peer's own link, both ways: the worst of its sending score and the scores of the streams it
 * receives. NOTE: a paused consumer carries no packets, so its score says nothing of the link
 * now; it is left out. Null while nothing is scored (the client then proposes nothing).
 */
export function linkScore(peer: LinkPeer): number | null {
  const scores: number[] = [];
  const sending = peerScore(peer);
  if (sending !== null) scores.push(sending);
  for (const consumer of peer.consumers.values()) {
    if (!consumer.paused && !consumer.producerPaused) scores.push(consumer.score.score);
  }
  return scores.length === 0 ? null : Math.min(...scores);
}

/** What a reporter watches: a media room's peers while it is open. */
export type QualitySource = { readonly closed: boolean; readonly size: number; peers(): ScoredPeer[] };

/**
 * Calls `report` with the room's scores every `intervalMs` while the room has peers; stops by
 * itself when the room closes. `close()` is safe to call twice.
 */
export class QualityReporter {
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(source: QualitySource, report: (peers: PeerScore[]) => void, intervalMs = QUALITY_INTERVAL_MS) {
    this.#timer = setInterval(() => {
      if (source.closed) {
        this.close();
        return;
      }
      if (source.size > 0) report(roomScores(source.peers()));
    }, intervalMs);
    // A report is never a reason to keep the process alive.
    this.#timer.unref();
  }

  /** Stops reporting. */
  close(): void {
    clearInterval(this.#timer);
  }
}
