/**
 * bench/abuse.ts's handle on its abuser process (lib/abuser.ts): start it, start and stop its
 * floods, read what it counted, close it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { FromAbuser, type AbuseReport, type AbuserOptions, type FloodMode, type ToAbuser } from './abuserProtocol.js';

type Reply<T extends FromAbuser['type']> = Extract<FromAbuser, { type: T }>;

/** Niceness of the abuser process (see AbuserProcess.start). */
export const ABUSER_NICENESS = 10;

/** The abuser, a child process with an IPC channel. */
export class AbuserProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<FromAbuser['type'], Array<(message: FromAbuser) => void>>();
  #failure: Error | null = null;
  #closed = false;
  /** The abusive member's participant id, once it joined. */
  participantId = '';

  private constructor(options: AbuserOptions) {
    const entry = fileURLToPath(new URL('./abuser.ts', import.meta.url));
    // node itself with tsx's hooks (not the tsx wrapper, which forks): the pid is the abuser's, for its CPU time.
    this.#child = fork(entry, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (raw: unknown) => this.#receive(FromAbuser.parse(raw)));
    this.#child.on('error', (error) => this.#fail(error));
    this.#child.on('exit', (code, signal) => {
      if (!this.#closed) this.#fail(new Error(`abuser process exited (${code ?? signal}) before it was closed`));
    });
  }

  /**
   * Starts the process and waits until the member's socket joined. NOTE: the abuser runs at a
   * lower priority (niceness 10) so that, on a machine of few cores, its own appetite for CPU
   * cannot delay the honest clients' process: their latency is then the server's doing. It
   * still gets any core nobody else wants, and the server competes with it as an equal would.
   */
  static async start(options: AbuserOptions): Promise<AbuserProcess> {
    const abuser = new AbuserProcess(options);
    const ready = abuser.#next('ready');
    try {
      os.setPriority(abuser.pid, ABUSER_NICENESS);
    } catch (error) {
      console.warn(`abuser: could not lower its priority (${String(error)}); it competes with the honest clients`);
    }
    abuser.participantId = (await ready).participantId;
    return abuser;
  }

  /** The process id, for its CPU time. */
  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('the abuser process did not start');
    return pid;
  }

  /** Starts every flood. */
  async startFlood(mode: FloodMode, pollId: string): Promise<void> {
    const started = this.#next('started');
    this.#send({ type: 'start', mode, pollId });
    await started;
  }

  /** Stops the floods; answers what the abuser counted. */
  async stopFlood(): Promise<AbuseReport> {
    const report = this.#next('report');
    this.#send({ type: 'stop' });
    return (await report).report;
  }

  /** Closes the abuser's sockets and the process; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (this.#child.connected) this.#send({ type: 'close' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  #send(message: ToAbuser): void {
    this.#child.send(message);
  }

  #next<T extends FromAbuser['type']>(type: T): Promise<Reply<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Reply<T>>((resolve, reject) => {
      const waiters = this.#waiting.get(type) ?? [];
      waiters.push((message) => {
        if (message.type === 'failed') reject(new Error(message.message));
        else if (isReply(message, type)) resolve(message);
      });
      this.#waiting.set(type, waiters);
    });
  }

  #receive(message: FromAbuser): void {
    if (message.type === 'failed') {
      this.#fail(new Error(`abuser: ${message.message}`));
      return;
    }
    this.#waiting.get(message.type)?.shift()?.(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const failed: FromAbuser = { type: 'failed', message: error.message };
    for (const waiters of this.#waiting.values()) for (const wake of waiters.splice(0)) wake(failed);
  }
}

function isReply<T extends FromAbuser['type']>(message: FromAbuser, type: T): message is Reply<T> {
  return message.type === type;
}
