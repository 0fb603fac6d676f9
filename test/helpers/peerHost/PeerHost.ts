/**
 * The test process's end of the WebRTC host (host.ts; see protocol.ts for why it is a process
 * of its own). Requests are answered by id; the host's own requests (connect a transport, make
 * a producer) go to the handler of the peer they name. If the host dies, every pending request
 * rejects saying so, and the next request starts a new host: one test fails, the file goes on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostEnded } from './hostEnded.js';
import { HostMessage, type HostRequest } from './protocol.js';

/**
 * What a peer's side does when the host asks: connect a server transport, make a producer (a
 * peer that only receives has none); and what it hears: a watched consumer's decoded frame.
 */
export type ServerSide = {
  connect(transportId: string, dtlsParameters: Extract<HostMessage, { t: 'connect' }>['dtlsParameters']): Promise<void>;
  produce?(request: Omit<Extract<HostMessage, { t: 'produce' }>, 't' | 'rid' | 'peer'>): Promise<string>;
  frame?(consumerId: string, luma: number): void;
};

/** A request as the test process writes it: the host's message without its id. */
type Request = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host.ts');

class PeerHost {
  #child: ChildProcess | null = null;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (data: unknown) => void; reject: (error: Error) => void }>();
  readonly #sides = new Map<string, ServerSide>();

  /** Where the host's requests for `peer` go. */
  serve(peer: string, side: ServerSide): void {
    this.#sides.set(peer, side);
  }

  forget(peer: string): void {
    this.#sides.delete(peer);
  }

  /** Sends a request; resolves with the host's answer. */
  request(request: Request): Promise<unknown> {
    const child = this.#ensure();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  }

  /**
   * Starts the host now, if it is not running: its start (a Node.js process loading the WebRTC
   * stack, ~0.4 s) then overlaps the test file's own set-up instead of delaying its first peer.
   */
  warm(): void {
    this.#ensure();
  }

  /** The host's process id, while it runs (a test kills it to check the isolation). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Ends the host (after a test file). */
  close(): void {
    this.#child?.kill('SIGTERM');
    this.#child = null;
  }

  #ensure(): ChildProcess {
    if (this.#child) return this.#child;
    const child = spawn(process.execPath, ['--import', 'tsx', HOST], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child = child;
    child.on('message', (raw: unknown) => this.#onMessage(child, raw));
    // A send to a host that has just died fails here; its 'exit' rejects what was pending.
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      const why = hostEnded(signal ?? `exit code ${code ?? '?'}`);
      for (const pending of this.#pending.values()) pending.reject(why);
      this.#pending.clear();
    });
    return child;
  }

  #onMessage(child: ChildProcess, raw: unknown): void {
    const parsed = HostMessage.safeParse(raw);
    if (!parsed.success) throw new Error(`WebRTC host: a malformed message: ${parsed.error.message}`);
    const message = parsed.data;
    if (message.t === 'reply') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.ok) pending?.resolve(message.data);
      else pending?.reject(new Error(message.error ?? 'refused by the WebRTC host'));
      return;
    }
    const side = this.#sides.get(message.peer);
    if (message.t === 'frame') {
      side?.frame?.(message.consumerId, message.luma);
      return;
    }
    const work =
      side === undefined
        ? Promise.reject(new Error(`no peer ${message.peer}`))
        : message.t === 'connect'
          ? side.connect(message.transportId, message.dtlsParameters).then(() => null)
          : side.produce
            ? side.produce({ transportId: message.transportId, kind: message.kind, rtpParameters: message.rtpParameters, source: message.source })
            : Promise.reject(new Error(`peer ${message.peer} does not send`));
    work.then(
      (data) => child.send({ t: 'answer', rid: message.rid, ok: true, data }),
      (error: unknown) => child.send({ t: 'answer', rid: message.rid, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  }
}

/**
 * The one host of this test process, started as soon as a test peer's module is loaded (a test
 * file that imports one uses it).
 */
export const peerHost = new PeerHost();
peerHost.warm();
