/**
 * The main thread's handle on lib/hostThread.ts: the room's host on an event loop of its own.
 */
import { Worker } from 'node:worker_threads';
import { FromHostThread, type ToHostThread } from './hostThread.js';

type Reply<T extends FromHostThread['type']> = Extract<FromHostThread, { type: T }>;

/** The host of a room, joined from a worker thread. */
export class HostThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<FromHostThread['type'], Array<(message: FromHostThread) => void>>();
  #failure: Error | null = null;
  #closed = false;

  private constructor(options: { url: string; invite: string; name: string }) {
    // NOTE: the thread registers tsx itself before importing its entry (see serverHost.ts).
    const entry = new URL('./hostThread.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    this.#worker = new Worker(boot, { eval: true, workerData: options });
    this.#worker.on('message', (raw: unknown) => this.#receive(FromHostThread.parse(raw)));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`host thread exited (${code}) before it was closed`));
    });
  }

  /** Joins the host in a thread of its own; answers once it is in the room. */
  static async join(options: { url: string; invite: string; name: string }): Promise<{ host: HostThread; participantId: string }> {
    const host = new HostThread(options);
    const ready = await host.#next('ready');
    return { host, participantId: ready.participantId };
  }

  /** Starts the probe: a queue:setOpen every `intervalMs` (lib/hostThread.ts). */
  startProbe(intervalMs: number): void {
    this.#send({ type: 'probe', intervalMs });
  }

  /** Stops the probe; answers its round trips, ms. */
  async stopProbe(): Promise<number[]> {
    const reply = this.#next('samples');
    this.#send({ type: 'stop' });
    return (await reply).samples;
  }

  /** Gives the floor to a participant. */
  async grant(participantId: string, seconds: number, commandId: string): Promise<void> {
    const reply = this.#next('granted');
    this.#send({ type: 'grant', participantId, seconds, commandId });
    await reply;
  }

  /** Disconnects the host and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#send({ type: 'close' });
    await this.#worker.terminate();
  }

  #send(message: ToHostThread): void {
    if (this.#failure) throw this.#failure;
    this.#worker.postMessage(message);
  }

  #next<T extends FromHostThread['type']>(type: T): Promise<Reply<T>> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Reply<T>>((resolve, reject) => {
      const waiters = this.#waiting.get(type) ?? [];
      waiters.push((message) => {
        if (message.type === 'failed') reject(new Error(`host thread: ${message.message}`));
        else if (isReply(message, type)) resolve(message);
      });
      this.#waiting.set(type, waiters);
    });
  }

  #receive(message: FromHostThread): void {
    if (message.type === 'failed') {
      this.#fail(new Error(`host thread: ${message.message}`));
      return;
    }
    this.#waiting.get(message.type)?.shift()?.(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const failed: FromHostThread = { type: 'failed', message: error.message };
    for (const waiters of this.#waiting.values()) for (const wake of waiters.splice(0)) wake(failed);
  }
}

function isReply<T extends FromHostThread['type']>(message: FromHostThread, type: T): message is Reply<T> {
  return message.type === type;
}
