/**
 * What one server process knows of the others serving the same rooms. Two implementations:
 * `LocalCluster` (the embedded default: this process is alone) and `RedisCluster` (REDIS_URL:
 * several processes behind one Redis).
 *
 * Presence answers "which process speaks for this participant?". A participant's connection
 * can drop on one process and come back on another within the grace period; only the process
 * holding the participant may record their disconnect or departure, and a process that
 * disappears leaves its participants to be adopted by a survivor.
 */
import { EventEmitter } from 'node:events';
import type { LogFollower } from '../rooms/RoomService.js';

/** Who speaks for a participant: this process, another live one, or nobody (never claimed, or a dead process). */
export type Holder = 'self' | 'other' | 'nobody';

/** A process as it announces itself. */
export type ProcessInfo = {
  id: string;
  /** Where it answers HTTP and Socket.IO. */
  url: string;
  startedAt: number;
  /** Connected sockets and rooms with media here, refreshed with every heartbeat. */
  load: ProcessLoad;
};

/** How busy a process is. */
export type ProcessLoad = { sockets: number; mediaRooms: number };

/** What /healthz reports about the cluster. */
export type ClusterHealth =
  | { mode: 'single' }
  | { mode: 'redis'; processId: string; redis: 'ready' | 'unreachable'; processes: ProcessInfo[] };

/** A message from another process. */
export type BusHandler = (from: string, message: unknown) => void;

export type ClusterEvents = {
  /**
   * Another process is gone (its connection to Redis closed and stayed closed, or it stopped
   * announcing itself): its participants and media are to be taken over. Once per process.
   */
  processGone: [processId: string];
};

/** The processes serving the rooms, as seen from this one. */
export interface Cluster extends EventEmitter<ClusterEvents> {
  readonly processId: string;
  /** Announces other processes' appends to the RoomService (undefined: nobody else appends). */
  readonly follower: LogFollower | undefined;
  /** This process now speaks for the participant. */
  claim(roomId: string, participantId: string): Promise<void>;
  /** Who speaks for the participant now. */
  holder(roomId: string, participantId: string): Promise<Holder>;
  /** Takes over a participant nobody (alive) holds; false when another process holds them. */
  adopt(roomId: string, participantId: string): Promise<boolean>;
  /** Forgets the participant if this process holds them (they left). */
  release(roomId: string, participantId: string): Promise<void>;
  /**
   * Takes a room's duty (the recorder, say) if nobody alive holds it: true when this process
   * holds it now (took it, or had it). A process that dies leaves its duties to be taken.
   */
  lead(roomId: string, duty: string): Promise<boolean>;
  /** Gives up the duty if this process holds it. */
  resign(roomId: string, duty: string): Promise<void>;
  /** Notes that this process has (or no longer has) media for the room; answers the other live processes that have. */
  mediaOpened(roomId: string): Promise<string[]>;
  mediaClosed(roomId: string): Promise<void>;
  /** Sends a message of `topic` to one process (at most once, in order). */
  send(to: string, topic: string, message: unknown): void;
  /** Receives this process's messages of `topic`. */
  onMessage(topic: string, handler: BusHandler): () => void;
  health(): ClusterHealth;
  close(): Promise<void>;
}

/** Sends a message of `topic` to every other live process (none when this process is alone). */
export function tellOthers(cluster: Pick<Cluster, 'processId' | 'health' | 'send'>, topic: string, message: unknown): void {
  const health = cluster.health();
  if (health.mode !== 'redis') return;
  for (const p of health.processes) if (p.id !== cluster.processId) cluster.send(p.id, topic, message);
}

/** One process alone: presence is a map, there is nobody to tell anything. */
export class LocalCluster extends EventEmitter<ClusterEvents> implements Cluster {
  readonly processId = 'local';
  readonly follower = undefined;
  readonly #held = new Set<string>();

  async claim(roomId: string, participantId: string): Promise<void> {
    this.#held.add(key(roomId, participantId));
  }

  async holder(roomId: string, participantId: string): Promise<Holder> {
    return this.#held.has(key(roomId, participantId)) ? 'self' : 'nobody';
  }

  async adopt(roomId: string, participantId: string): Promise<boolean> {
    this.#held.add(key(roomId, participantId));
    return true;
  }

  async release(roomId: string, participantId: string): Promise<void> {
    this.#held.delete(key(roomId, participantId));
  }

  async lead(): Promise<boolean> {
    return true;
  }

  async resign(): Promise<void> {}

  async mediaOpened(): Promise<string[]> {
    return [];
  }

  async mediaClosed(): Promise<void> {}

  send(to: string): void {
    throw new TypeError(`no other process to send to (${to}) without REDIS_URL`);
  }

  onMessage(): () => void {
    return () => undefined;
  }

  health(): ClusterHealth {
    return { mode: 'single' };
  }

  async close(): Promise<void> {
    this.#held.clear();
  }
}

const key = (roomId: string, participantId: string): string => `${roomId}\u0000${participantId}`;
