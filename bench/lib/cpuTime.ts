/**
 * CPU time of the processes of a benchmark (the servers, Redis, this load generator), to tell
 * whether the machine's cores were the limit during a phase: on 2 cores, 2 servers + Redis +
 * the clients can use at most 2 CPU-seconds per second between them. Linux only; elsewhere the
 * readings are null and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat (100 on every common Linux build). */
const TICKS_PER_S = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of process `pid` so far, ms; null when it cannot be read. */
export function processCpuMs(pid: number): Promise<number | null> {
  return cpuMsOf(`/proc/${pid}/stat`);
}

/** User + system CPU time so far of one thread of process `pid`, ms; its main thread's (the event loop's) by default. */
export function threadCpuMs(pid: number, tid: number = pid): Promise<number | null> {
  return cpuMsOf(`/proc/${pid}/task/${tid}/stat`);
}

async function cpuMsOf(statFile: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(statFile, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_S : null;
}

/**
 * CPU time spent by named processes, by this one (as `clients`) and by the whole machine (as
 * `machine`) between two readings.
 */
export class CpuMeter {
  readonly #pids: ReadonlyMap<string, number>;

  /** `pids`: a name per process, e.g. `a1` or `redis`. */
  constructor(pids: ReadonlyMap<string, number>) {
    this.#pids = pids;
  }

  /** The CPU time of each process so far, ms (null where unreadable). */
  async read(): Promise<Map<string, number | null>> {
    const readings = new Map<string, number | null>();
    for (const [name, pid] of this.#pids) readings.set(name, await processCpuMs(pid));
    const own = process.cpuUsage();
    readings.set('clients', (own.user + own.system) / 1000);
    readings.set('machine', await machineBusyMs());
    return readings;
  }
}

/** CPU ms per process between two readings (a process unreadable in either counts as 0). */
export function cpuSpent(from: ReadonlyMap<string, number | null>, to: ReadonlyMap<string, number | null>): Map<string, number> {
  const spent = new Map<string, number>();
  for (const [name, end] of to) {
    const start = from.get(name);
    spent.set(name, end !== null && start !== undefined && start !== null ? end - start : 0);
  }
  return spent;
}

/**
 * Pids of this process's children whose command name is `comm` (e.g. `redis-server`, which
 * test/helpers/redisServer.ts starts without telling its pid).
 */
export async function childPidsNamed(comm: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (text === null) continue;
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    if (name === comm && ppid === process.pid) found.push(Number(entry));
  }
  return found;
}

/**
 * CPU time the whole machine spent busy so far (every process, ours and anyone else's), ms
 * summed over cores; null off Linux. Against the benchmark's own processes it shows how much
 * of the machine something else was using during a phase.
 */
export async function machineBusyMs(): Promise<number | null> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => null);
  const line = text?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return null;
  // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? 0), 0);
  return Number.isFinite(busy) ? (busy * 1000) / TICKS_PER_S : null;
}

/** Pids of the children of process `parent` (a server's media workers, say); [] off Linux. */
export async function childPidsOf(parent: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (text === null) continue;
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) found.push(Number(entry));
  }
  return found;
}
