/**
 * Linux counters the benchmark reads to explain a loss, never to compute one:
 * - /proc/net/snmp `Udp: RcvbufErrors`: datagrams dropped because a receiving socket was full
 *   (host-wide: a sink this process did not drain, the worker's producer socket, or any other
 *   process on the host);
 * - /proc/<pid>/schedstat: how long a process waited, runnable, for a CPU. A worker that waits
 *   while it has packets to forward was starved by other load on the host.
 * Both read null off Linux.
 */
import { readFile } from 'node:fs/promises';

async function readProc(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** The kernel's count of UDP receive-buffer drops, host-wide. */
export async function readUdpRcvbufErrors(): Promise<number | null> {
  const text = await readProc('/proc/net/snmp');
  if (text === null) return null;
  // Two "Udp:" lines: names, then values.
  const [names, values] = text
    .split('\n')
    .filter((line) => line.startsWith('Udp:'))
    .map((line) => line.split(/\s+/).slice(1));
  if (!names || !values || names.length !== values.length) throw new Error('unexpected /proc/net/snmp layout');
  const value = Number(values[names.indexOf('RcvbufErrors')]);
  if (!Number.isFinite(value)) throw new Error('no Udp RcvbufErrors in /proc/net/snmp');
  return value;
}

/** Time the process `pid` has spent runnable but waiting for a CPU, ms. */
export async function readRunQueueWaitMs(pid: number): Promise<number | null> {
  const text = await readProc(`/proc/${pid}/schedstat`);
  if (text === null) return null;
  // "<time on CPU ns> <time waiting on a run queue ns> <time slices>"
  const waitNs = Number(text.trim().split(/\s+/)[1]);
  if (!Number.isFinite(waitNs)) throw new Error(`unexpected /proc/${pid}/schedstat: ${text}`);
  return waitNs / 1e6;
}
