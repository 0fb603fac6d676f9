/**
 * The live HLS streams' gauges, read at scrape time from LiveStreams: how many encoders run,
 * write segments or fail, and how often they were restarted.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StreamsHealth } from '../stream/LiveStreams.js';

/** Registers the stream gauges on `registry`. */
export function registerStreamGauges(registry: Registry, health: () => StreamsHealth): void {
  const registers = [registry];
  new Gauge({
    name: 'wsl_stream_encoders',
    help: 'Live HLS encoders (ffmpeg) of this process by state: live (writing segments), starting, failing (restarting).',
    labelNames: ['state'],
    registers,
    collect() {
      const h = health();
      this.set({ state: 'live' }, h.live);
      this.set({ state: 'failing' }, h.failing);
      this.set({ state: 'starting' }, h.running - h.live - h.failing);
    },
  });
  let counted = 0;
  new Counter({
    name: 'wsl_stream_restarts_total',
    help: 'Restarts of live HLS encoders after ffmpeg could not start, died or stopped writing.',
    registers,
    collect() {
      const restarts = health().restarts;
      if (restarts > counted) this.inc(restarts - counted);
      counted = restarts;
    },
  });
}
