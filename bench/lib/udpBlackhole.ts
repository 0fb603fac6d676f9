/**
 * A UDP port on 127.0.0.1 that nobody reads: a socket bound in a thread that then blocks in
 * Atomics.wait, so its event loop never polls the socket. The kernel queues what arrives until
 * the socket's buffer is full and drops the rest at the enqueue (each drop counts in the
 * host-wide `Udp: RcvbufErrors`, which is then no hint of anything).
 *
 * What it is for: a benchmark's consumers that it does not count. Their worker still pays
 * everything up to the kernel (forwarding, encryption, the send and loopback delivery), while
 * this process does not read hundreds of thousands of datagrams a second on the cores the
 * workers need.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';

/** Plain JavaScript (no tsx in the thread): bind, tell the port, block until told to close. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const flag = new Int32Array(workerData);
const socket = dgram.createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
  parentPort.postMessage(socket.address().port);
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  socket.close();
});
`;

/** How long the thread may take to close once woken, before it is terminated. */
const CLOSE_TIMEOUT_MS = 2000;

/** One unread UDP port. */
export class UdpBlackhole {
  readonly #thread: Worker;
  readonly #flag: Int32Array;
  readonly port: number;
  #closed = false;

  private constructor(thread: Worker, flag: Int32Array, port: number) {
    this.#thread = thread;
    this.#flag = flag;
    this.port = port;
  }

  /** Starts the thread and waits for its port. */
  static async open(): Promise<UdpBlackhole> {
    const shared = new SharedArrayBuffer(4);
    const thread = new Worker(THREAD, { eval: true, workerData: shared });
    try {
      const [port] = await once(thread, 'message');
      return new UdpBlackhole(thread, new Int32Array(shared), z.number().int().positive().parse(port));
    } catch (error) {
      await thread.terminate();
      throw error;
    }
  }

  /** Wakes the thread, which closes the socket and ends; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const exited = once(this.#thread, 'exit');
    Atomics.store(this.#flag, 0, 1);
    Atomics.notify(this.#flag, 0);
    const timer = setTimeout(() => void this.#thread.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
