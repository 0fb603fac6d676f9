/**
 * The Prometheus metrics of one server: a registry of its own (not prom-client's global one,
 * so that several servers in one process keep theirs apart), the hooks the command path, the
 * store and the fan-out call where things happen, and the gauges read from the live objects
 * when Prometheus scrapes (liveGauges.ts). README "Metrics" lists them; ours start with
 * `wsl_`, prom-client's process metrics keep their own names.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RoomCommand } from '../../signaling/room/commands.js';
import type { EventStore } from '../store/EventStore.js';
import { registerLiveGauges, type LiveSources } from './liveGauges.js';
import { timedAppends } from './timedStore.js';

/** A command is answered within milliseconds; a store or a busy room can take seconds. */
const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** SQLite appends in well under a millisecond; Redis takes a round trip. */
const APPEND_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Which store a room log lives in. */
export type StoreKind = 'sqlite' | 'redis';

type Observer = { observe(value: number): void };

/** The metrics of one server. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #commands: Histogram<'command'>;
  readonly #appends: Histogram<'store'>;
  readonly #fannedOut: Counter;
  readonly #messages: Counter;
  /** One child per command type, made once: observing then costs no label set per command. */
  readonly #byCommand = new Map<string, Observer>();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#commands = new Histogram({
      name: 'wsl_command_duration_seconds',
      help: 'Room commands from arrival to answer (queue, decision, append), answered or refused, by command type.',
      labelNames: ['command'],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.#appends = new Histogram({
      name: 'wsl_event_append_duration_seconds',
      help: 'Appends to the room log, by store (sqlite or redis).',
      labelNames: ['store'],
      buckets: APPEND_BUCKETS,
      registers,
    });
    this.#fannedOut = new Counter({ name: 'wsl_events_fanned_out_total', help: 'Room events sent out to the sockets of this process.', registers });
    this.#messages = new Counter({
      name: 'wsl_fanout_messages_total',
      help: 'room:events messages sent: one per socket of the room per batch (viewer-dependent batches are encoded per kind of viewer).',
      registers,
    });
  }

  /** RoomService's hook: one command took `seconds`. */
  readonly timeCommand = (type: RoomCommand['type'], seconds: number): void => {
    let child = this.#byCommand.get(type);
    if (!child) {
      child = this.#commands.labels(type);
      this.#byCommand.set(type, child);
    }
    child.observe(seconds);
  };

  /** RoomHub's hook: a batch of `events` went out to the `sockets` of its room here. */
  readonly fannedOut = (events: number, sockets: number): void => {
    this.#fannedOut.inc(events);
    this.#messages.inc(sockets);
  };

  /** `store` with its appends timed. */
  timeAppends(store: EventStore, kind: StoreKind): EventStore {
    return timedAppends(store, this.#appends.labels(kind));
  }

  /** Reads the gauges from these objects at every scrape. */
  watch(sources: LiveSources): void {
    registerLiveGauges(this.registry, sources);
  }

  /** The text Prometheus reads, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
