/**
 * The gauges read at scrape time from the objects that hold the live counts (the rooms'
 * states, the worker pool, the audience, Socket.IO, the cluster, the pipes): nothing is
 * counted beside them, so a scrape shows what those objects know, and nothing costs anything
 * between two scrapes.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { ROLES, type RoomState } from '../../signaling/room/state.js';
import type { ClusterHealth } from '../cluster/Cluster.js';
import type { PipeLinkState } from '../cluster/PipeLink.js';
import type { WorkerStats } from '../media/WorkerPool.js';
import type { StreamsHealth } from '../stream/LiveStreams.js';
import { registerStreamGauges } from './streamGauges.js';

/** Below this mediasoup score (0–10) a consumer's link is poor: what the console shows amber. */
export const POOR_SCORE = 5;

const PIPE_STATES: readonly PipeLinkState[] = ['offering', 'answering', 'open', 'closed'];

/** Where the gauges read from. */
export type LiveSources = {
  /** The rooms loaded in this process. */
  rooms: { loaded(): Promise<RoomState[]> };
  workers: () => WorkerStats[];
  /** Public viewers (the audience) connected to this process. */
  viewers: () => number;
  /** Socket.IO connections to this process. */
  sockets: () => number;
  cluster: () => ClusterHealth;
  /** Can the room log store take appends now? */
  storeAvailable: () => boolean;
  /** The pipe links of this process to others (several processes only). */
  pipeLinks: () => ReadonlyArray<{ state: PipeLinkState }>;
  /** The live HLS streams (absent with STREAM=off). */
  streams?: () => StreamsHealth;
};

/** Registers the live gauges on `registry`. */
export function registerLiveGauges(registry: Registry, sources: LiveSources): void {
  const registers = [registry];
  new Gauge({
    name: 'wsl_rooms',
    help: 'Meetings loaded in this process and not ended.',
    registers,
    async collect() {
      this.set((await sources.rooms.loaded()).filter((s) => !s.ended).length);
    },
  });
  new Gauge({
    name: 'wsl_participants',
    help: 'Participants connected now (online) in the meetings loaded in this process, by role.',
    labelNames: ['role'],
    registers,
    async collect() {
      const states = await sources.rooms.loaded();
      const byRole = new Map<string, number>(ROLES.map((role) => [role, 0]));
      for (const state of states) {
        for (const p of Object.values(state.participants)) if (p.online) byRole.set(p.role, (byRole.get(p.role) ?? 0) + 1);
      }
      for (const [role, count] of byRole) this.set({ role }, count);
    },
  });
  new Gauge({
    name: 'wsl_audience_viewers',
    help: 'Public viewers (the audience) connected to this process.',
    registers,
    collect() {
      this.set(sources.viewers());
    },
  });
  new Gauge({
    name: 'wsl_sockets',
    help: 'Socket.IO connections to this process (participants, viewers, and connections not joined yet).',
    registers,
    collect() {
      this.set(sources.sockets());
    },
  });
  registerWorkerGauges(registers, sources.workers);
  if (sources.streams) registerStreamGauges(registry, sources.streams);
  new Gauge({
    name: 'wsl_store_available',
    help: 'Whether the room log store takes appends now (1) or not (0: Redis away).',
    registers,
    collect() {
      this.set(sources.storeAvailable() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wsl_redis_connected',
    help: "Whether this process's cluster connection to Redis is up (1) or not (0); no sample without Redis.",
    // A label, so that a process without Redis reports no sample rather than a 0 that would read as "down".
    labelNames: ['connection'],
    registers,
    collect() {
      const health = sources.cluster();
      if (health.mode === 'redis') this.set({ connection: 'cluster' }, health.redis === 'ready' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wsl_cluster_processes',
    help: 'Server processes announcing themselves in Redis, this one included (1 without Redis).',
    registers,
    collect() {
      const health = sources.cluster();
      this.set(health.mode === 'redis' ? health.processes.length : 1);
    },
  });
  new Gauge({
    name: 'wsl_pipe_links',
    help: "Pipe links joining this process's routers to other processes' for shared rooms, by state.",
    labelNames: ['state'],
    registers,
    collect() {
      const counts = new Map<string, number>(PIPE_STATES.map((state) => [state, 0]));
      for (const link of sources.pipeLinks()) counts.set(link.state, (counts.get(link.state) ?? 0) + 1);
      for (const [state, count] of counts) this.set({ state }, count);
    },
  });
}

/** Per mediasoup worker (label `worker`: its slot in the pool, kept by a replacement). */
function registerWorkerGauges(registers: Registry[], workers: () => WorkerStats[]): void {
  const perWorker = (name: string, help: string, value: (w: WorkerStats) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['worker'],
      registers,
      collect() {
        this.reset();
        for (const w of workers()) this.set({ worker: String(w.slot) }, value(w));
      },
    });
  };
  perWorker('wsl_mediasoup_transports', 'Transports on each mediasoup worker (browsers, viewers, pipes).', (w) => w.transports);
  perWorker('wsl_mediasoup_producers', 'Producers on each mediasoup worker.', (w) => w.producers);
  perWorker('wsl_mediasoup_consumers', 'Consumers on each mediasoup worker (pipes included).', (w) => w.consumers.size);
  perWorker('wsl_mediasoup_consumers_poor', `Consumers to browsers whose score is below ${POOR_SCORE} (of 10): people receiving over a poor link.`, (w) => {
    let poor = 0;
    for (const consumer of w.consumers) if (consumer.type !== 'pipe' && consumer.score.score < POOR_SCORE) poor++;
    return poor;
  });
  // NOTE: a counter fed from getResourceUsage() at each scrape; a replacement worker starts
  // from zero again, which Prometheus' rate() reads as a counter reset.
  const seen = new Map<number, { pid: number; seconds: number }>();
  new Counter({
    name: 'wsl_mediasoup_worker_cpu_seconds_total',
    help: 'CPU time (user + system) of each mediasoup worker process.',
    labelNames: ['worker'],
    registers,
    async collect() {
      await Promise.all(
        workers().map(async (w) => {
          let usage;
          try {
            usage = await w.worker.getResourceUsage();
          } catch {
            return; // Dying right now: its replacement is read at the next scrape.
          }
          const seconds = (usage.ru_utime + usage.ru_stime) / 1000;
          const before = seen.get(w.slot);
          const since = before && before.pid === w.worker.pid ? before.seconds : 0;
          seen.set(w.slot, { pid: w.worker.pid, seconds });
          if (before && before.pid !== w.worker.pid) this.remove({ worker: String(w.slot) });
          if (seconds > since) this.inc({ worker: String(w.slot) }, seconds - since);
        }),
      );
    },
  });
}
