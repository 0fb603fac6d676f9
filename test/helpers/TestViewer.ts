/**
 * A public viewer as the tests drive it: a plain Socket.IO client that joins with
 * `audience:join` and records everything the server sends it (to prove what it never gets).
 */
import type { Socket } from 'socket.io-client';
import type { PublicView } from '../../signaling/audience.js';
import { PROTOCOL_VERSION, type AudienceJoined, type ClientToServerEvents, type ServerToClientEvents } from '../../signaling/protocol.js';
import { RequestError, connectSocket, rawRequest } from './TestPeer.js';

export class TestViewer {
  /** Every event the server sent, in order, with its payload. */
  readonly received: Array<{ event: string; data: unknown }> = [];
  /** The latest public view (from the join's answer, then from `audience:view`). */
  view: PublicView | null = null;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>) {
    socket.onAny((event: string, data: unknown) => {
      this.received.push({ event, data });
      if (event === 'audience:view') {
        this.view = data as PublicView;
        for (const wake of this.#waiters) wake();
      }
    });
  }

  static async connect(url: string): Promise<TestViewer> {
    return new TestViewer(await connectSocket(url));
  }

  /** Sends any event and returns the raw ack. */
  request(event: string, payload: unknown): Promise<unknown> {
    return rawRequest(this.socket, event, payload);
  }

  /** Joins with a public link; a refusal throws a RequestError with its code. */
  async join(invite: string): Promise<AudienceJoined> {
    const answer = (await this.request('audience:join', { protocolVersion: PROTOCOL_VERSION, invite })) as
      | { ok: true; data: AudienceJoined }
      | { ok: false; error: string; detail?: string; retryAfterMs?: number };
    if (!answer.ok) throw new RequestError(answer.error, answer.detail);
    this.view = answer.data.view;
    return answer.data;
  }

  /** Resolves once the latest view satisfies `predicate` (checked on every view that arrives). */
  waitForView(predicate: (view: PublicView) => boolean, timeoutMs = 10_000): Promise<PublicView> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.view && predicate(this.view)) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolve(this.view);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no such view within ${timeoutMs} ms; last: ${JSON.stringify(this.view)}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** Events of `name` received so far. */
  eventsNamed(name: string): unknown[] {
    return this.received.filter((r) => r.event === name).map((r) => r.data);
  }

  close(): void {
    this.socket.disconnect();
  }
}
