/**
 * The part of a room that lives on other server processes: their peers (so local clients can
 * show a tile for each) and the producers piped in from there (see server/cluster/MediaPipes).
 * Each entry is kept by its origin, the process it comes from, so that a process going away
 * takes exactly its own entries with it.
 */
import type { types } from 'mediasoup';
import type { PeerInfo } from '../../signaling/protocol.js';
import type { MediaAppData } from './Peer.js';

/** A producer piped in from another process. */
export type RemoteProducer = types.Producer<MediaAppData>;

/** Remote peers and producers of one room, by origin. */
export class RemoteMedia {
  /** origin → peer id → display name. */
  readonly #peers = new Map<string, Map<string, string>>();
  readonly #producers = new Map<string, { origin: string; producer: RemoteProducer }>();

  /** Records a remote peer; true if no origin knew it before. */
  addPeer(origin: string, peerId: string, displayName: string): boolean {
    const known = this.hasPeer(peerId);
    let peers = this.#peers.get(origin);
    if (!peers) {
      peers = new Map();
      this.#peers.set(origin, peers);
    }
    peers.set(peerId, displayName);
    return !known;
  }

  /** Forgets a remote peer of one origin; true if no origin knows it any more. */
  removePeer(origin: string, peerId: string): boolean {
    const peers = this.#peers.get(origin);
    if (!peers?.delete(peerId)) return false;
    if (peers.size === 0) this.#peers.delete(origin);
    return !this.hasPeer(peerId);
  }

  /** Whether any origin has this peer. */
  hasPeer(peerId: string): boolean {
    for (const peers of this.#peers.values()) if (peers.has(peerId)) return true;
    return false;
  }

  /** Every remote peer once (the first origin's name wins), with its producers. */
  peerInfos(): PeerInfo[] {
    const out = new Map<string, PeerInfo>();
    for (const peers of this.#peers.values()) {
      for (const [id, displayName] of peers) if (!out.has(id)) out.set(id, { id, displayName, producers: [] });
    }
    for (const { producer } of this.#producers.values()) {
      out.get(producer.appData.peerId)?.producers.push({
        id: producer.id,
        kind: producer.kind,
        source: producer.appData.source,
        paused: producer.paused,
      });
    }
    return [...out.values()];
  }

  /** The peer ids one origin brought. */
  peersOf(origin: string): string[] {
    return [...(this.#peers.get(origin)?.keys() ?? [])];
  }

  /** Records a piped-in producer until it closes. */
  addProducer(origin: string, producer: RemoteProducer): void {
    this.#producers.set(producer.id, { origin, producer });
    producer.observer.once('close', () => {
      if (this.#producers.get(producer.id)?.producer === producer) this.#producers.delete(producer.id);
    });
  }

  /** Every live remote producer. */
  producers(): RemoteProducer[] {
    return [...this.#producers.values()].map((entry) => entry.producer);
  }

  /** A remote producer by id. */
  producer(producerId: string): RemoteProducer | undefined {
    return this.#producers.get(producerId)?.producer;
  }

  /** The producers one origin brought. */
  producersOf(origin: string): RemoteProducer[] {
    return [...this.#producers.values()].filter((entry) => entry.origin === origin).map((entry) => entry.producer);
  }

  /** Forgets everything (the router that held the producers is gone). */
  clear(): void {
    this.#peers.clear();
    this.#producers.clear();
  }
}
