/**
 * Preloaded into a benchmark's server process (HEAP_PROBE_ARGS in lib/heapReading.ts): on
 * SIGUSR2 it collects all garbage and writes the process's memory to heapProbeFile(pid).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { heapProbeFile, type HeapReading } from './heapReading.js';

const gc = globalThis.gc;
if (!gc) throw new Error('heapProbe: start node with --expose-gc');
let seq = 0;
const file = heapProbeFile(process.pid);
process.on('SIGUSR2', () => {
  // Twice: what a first collection finalizes (weak references, finalizers) goes in the second.
  gc();
  gc();
  const memory = process.memoryUsage();
  seq += 1;
  const reading: HeapReading = { seq, heapUsed: memory.heapUsed, external: memory.external, rss: memory.rss };
  // Written whole, then renamed: the reader never sees half a reading.
  writeFileSync(`${file}.tmp`, JSON.stringify(reading));
  renameSync(`${file}.tmp`, file);
});
