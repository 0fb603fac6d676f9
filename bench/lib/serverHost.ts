/**
 * The main thread's handle on lib/serverThread.ts: start it, read its event-loop load, close it.
 * In a worker thread of this process by default, or in a child process of its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FromServerThread, type ServerThreadOptions, type ToServerThread } from './threadProtocol.js';

/** Cumulative event-loop time of a thread, and its longest stall since the previous reading, ms. */
export type LoopTime = { idle: number; active: number; maxStallMs: number; cpuMs: number | null };

/** Share of wall time a thread's event loop was busy between two readings, 0–1. */
export function busyShare(from: LoopTime, to: LoopTime): number {
  const active = to.active - from.active;
  const total = active + to.idle - from.idle;
  return total > 0 ? active / total : 0;
}

/** How long a closed server process may take to exit before it is killed. */
const PROCESS_EXIT_WITHIN_MS = 5000;

type Reply<T extends FromServerThread['type']> = Extract<FromServerThread, { type: T }>;

/** Where the server runs: a worker thread of this process, or a child process of its own. */
export type ServerHome = 'thread' | 'process';

/** The real server (and optionally the bare baseline) running in a worker thread or a child process. */
export class ServerThread {
  readonly #worker: Worker | ChildProcess;
  readonly #waiting = new Map<FromServerThread['type'], Array<(message: FromServerThread) => void>>();
  #failure: Error | null = null;
  #closed = false;
  url = '';
  adminSecret = '';
  bareUrl: string | null = null;

  private constructor(options: ServerThreadOptions, home: ServerHome) {
    const entry = new URL('./serverThread.ts', import.meta.url);
    if (home === 'process') {
      // node itself with tsx's hooks (not the tsx wrapper, which forks again). BENCH_CPU_PROF=<dir>:
      // the server writes a V8 CPU profile there when it stops, as in serverProcess.ts.
      const dir = process.env['BENCH_CPU_PROF'];
      const profile = dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
      this.#worker = fork(fileURLToPath(entry), [JSON.stringify(options)], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    } else {
      // NOTE: tsx's loader hooks are per thread and Node 20 does not carry `--import tsx` into
      // a worker before its entry loads, so the worker registers tsx itself, then imports.
      const tsx = import.meta.resolve('tsx/esm/api');
      const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
      this.#worker = new Worker(boot, { eval: true, workerData: options });
    }
    this.#worker.on('message', (raw: unknown) => this.#receive(FromServerThread.parse(raw)));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`server thread exited (${code}) before it was closed`));
    });
  }

  /** Starts the thread and waits until its servers listen. */
  static async start(options: ServerThreadOptions, home: ServerHome = 'thread'): Promise<ServerThread> {
    const thread = new ServerThread(options, home);
    let ready: Reply<'ready'>;
    try {
      ready = await thread.#next('ready');
    } catch (error) {
      // A server that failed to start may still hold its media workers or connections.
      thread.#closed = true;
      await thread.#stop();
      throw error;
    }
    thread.url = ready.url;
    thread.adminSecret = ready.adminSecret;
    thread.bareUrl = ready.bareUrl;
    return thread;
  }

  /** The server thread's cumulative event-loop time. */
  async loopTime(): Promise<LoopTime> {
    const reply = this.#next('elu');
    this.#send({ type: 'elu' });
    const { idle, active, maxStallMs, cpuMs } = await reply;
    return { idle, active, maxStallMs, cpuMs };
  }

  /** Starts a CPU profile of the server thread (file null), or stops it and writes it to `file`. */
  async profile(file: string | null): Promise<void> {
    const done = this.#next('profiled');
    this.#send({ type: 'profile', file });
    await done;
  }

  /** Closes the servers and the thread; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#failure) {
        const closed = this.#next('closed');
        this.#send({ type: 'close' });
        await closed;
      }
    } finally {
      this.#closed = true;
      await this.#stop();
    }
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    if (worker instanceof Worker) {
      await worker.terminate();
      return;
    }
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Once closed it exits by itself (writing a --cpu-prof profile, say); one that hangs is killed.
    const timer = setTimeout(() => worker.kill('SIGKILL'), PROCESS_EXIT_WITHIN_MS);
    await exited;
    clearTimeout(timer);
  }

  #send(message: ToServerThread): void {
    const worker = this.#worker;
    if (worker instanceof Worker) worker.postMessage(message);
    else worker.send(message);
  }

  #next<T extends FromServerThread['type']>(type: T): Promise<Reply<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Reply<T>>((resolve, reject) => {
      const waiters = this.#waiting.get(type) ?? [];
      waiters.push((message) => {
        if (message.type === 'failed') reject(new Error(`server thread: ${message.message}`));
        else if (isReply(message, type)) resolve(message);
      });
      this.#waiting.set(type, waiters);
    });
  }

  #receive(message: FromServerThread): void {
    if (message.type === 'failed') {
      this.#fail(new Error(`server thread: ${message.message}`));
      return;
    }
    // The thread exits by itself right after saying so.
    if (message.type === 'closed') this.#closed = true;
    this.#waiting.get(message.type)?.shift()?.(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const failed: FromServerThread = { type: 'failed', message: error.message };
    for (const waiters of this.#waiting.values()) for (const wake of waiters.splice(0)) wake(failed);
  }
}

function isReply<T extends FromServerThread['type']>(message: FromServerThread, type: T): message is Reply<T> {
  return message.type === type;
}

/** Both threads' load over a phase: how busy each event loop was and its longest stall. */
export class LoadMeter {
  readonly #server: ServerThread;
  readonly #stalls = monitorEventLoopDelay({ resolution: 10 });
  #serverFrom: LoopTime | null = null;
  #clientFrom = performance.eventLoopUtilization();
  /** The server thread's busy time over the last phase, ms (set by stop()). */
  serverActiveMs = 0;
  /** The server process's CPU time over the last phase, all threads, ms; null for a server thread in this process. */
  serverCpuMs: number | null = null;

  constructor(server: ServerThread) {
    this.#server = server;
    this.#stalls.enable();
  }

  /** Starts a phase. */
  async start(): Promise<void> {
    this.#serverFrom = await this.#server.loopTime();
    this.#clientFrom = performance.eventLoopUtilization();
    this.#stalls.reset();
  }

  /** Ends the phase; answers a line for the log. */
  async stop(): Promise<string> {
    const client = performance.eventLoopUtilization(this.#clientFrom).utilization;
    const clientStall = this.#stalls.max / 1e6;
    const server = await this.#server.loopTime();
    const from = this.#serverFrom ?? server;
    this.serverActiveMs = server.active - from.active;
    this.serverCpuMs = server.cpuMs === null || from.cpuMs === null ? null : server.cpuMs - from.cpuMs;
    const pct = (share: number): string => `${(share * 100).toFixed(0)} %`;
    return (
      `busy: server thread ${pct(busyShare(from, server))}, client thread ${pct(client)}; ` +
      `longest stall: server ${server.maxStallMs.toFixed(0)} ms, clients ${clientStall.toFixed(0)} ms`
    );
  }

  /** Stops measuring the client thread's stalls. */
  close(): void {
    this.#stalls.disable();
  }
}
