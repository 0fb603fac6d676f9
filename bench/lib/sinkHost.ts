/**
 * The main thread's handle on RtpSinks running in lib/sinkThread.ts: the same calls, answered
 * asynchronously.
 */
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { SinkWindow } from './rtpSinks.js';
import { FromSinks, type ToSinks } from './sinkThread.js';

const Window = z.object({ received: z.number(), late: z.number(), expected: z.number(), silent: z.number(), lossy: z.number(), maxDelayMs: z.number() });

type Request = ToSinks extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

/** N UDP sinks on 127.0.0.1 in a thread of their own. */
export class SinkHost {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (data: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  ports: number[] = [];

  private constructor() {
    // NOTE: the thread registers tsx itself before importing its entry (see serverHost.ts).
    const entry = new URL('./sinkThread.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    this.#worker = new Worker(boot, { eval: true });
    this.#worker.on('message', (raw: unknown) => {
      const reply = FromSinks.parse(raw);
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.data);
      else pending?.reject(new Error(reply.error ?? 'sink thread failed'));
    });
    this.#worker.on('error', (error) => {
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    });
  }

  static async open(count: number, lateMs: number): Promise<SinkHost> {
    const host = new SinkHost();
    host.ports = z.array(z.number()).parse(await host.#request({ type: 'open', count, lateMs }));
    return host;
  }

  async expectSsrc(index: number, ssrc: number): Promise<void> {
    await this.#request({ type: 'expect', index, ssrc });
  }

  async live(): Promise<number> {
    return z.number().parse(await this.#request({ type: 'live' }));
  }

  async openWindow(): Promise<void> {
    await this.#request({ type: 'openWindow' });
  }

  async closeWindow(fallbackExpected: number): Promise<SinkWindow> {
    return Window.parse(await this.#request({ type: 'closeWindow', fallbackExpected }));
  }

  async close(): Promise<void> {
    await this.#request({ type: 'close' }).catch(() => undefined);
    await this.#worker.terminate();
  }

  #request(request: Request): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }
}
