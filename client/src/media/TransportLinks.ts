/**
 * Whether my transports' media gets through, and if not, why, in words a participant can pass
 * on to the staff. A transport that fails, or still is not connected a while after it began,
 * is diagnosed: with a relay (TURN) offered, a probe of the relay tells a refused credential
 * from an unreachable relay (relayProbe.ts); without one there is nothing more to say than
 * that media does not get through.
 */
import type { types as ms } from 'mediasoup-client';
import { probeRelay, type RelayVerdict } from './relayProbe.js';

/** What the page says about media that does not get through. */
export type MediaLinkProblem = 'failed' | 'relayRefused' | 'relayUnreachable';

/** How long a transport may be connecting before the page explains (ICE usually takes < 2 s). */
export const STALL_MS = 10_000;

/** The part of a mediasoup-client transport watched here. */
export type WatchedTransport = {
  readonly id: string;
  readonly closed: boolean;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'connectionstatechange', listener: (state: ms.ConnectionState) => void): unknown;
};

const FROM_VERDICT: Record<RelayVerdict, MediaLinkProblem> = {
  refused: 'relayRefused',
  unreachable: 'relayUnreachable',
  // The relay answers, yet the transport failed: the relay cannot reach the media server
  // (coturn's denied-peer-ip), or the failure was passing. Nothing more precise to say.
  reachable: 'failed',
};

type Link = { relays: RTCIceServer[]; connected: boolean; stall: ReturnType<typeof setTimeout> | null; probing: boolean };

/** The media links of one page: reports the problem to show (or null) whenever it changes. */
export class TransportLinks {
  readonly #links = new Map<string, Link>();
  readonly #problems = new Map<string, MediaLinkProblem>();
  readonly #report: (problem: MediaLinkProblem | null) => void;
  readonly #probe: (relays: RTCIceServer[]) => Promise<RelayVerdict>;
  readonly #stallMs: number;
  #shown: MediaLinkProblem | null = null;

  constructor(
    report: (problem: MediaLinkProblem | null) => void,
    { probe = (relays: RTCIceServer[]) => probeRelay(relays), stallMs = STALL_MS }: { probe?: (relays: RTCIceServer[]) => Promise<RelayVerdict>; stallMs?: number } = {},
  ) {
    this.#report = report;
    this.#probe = probe;
    this.#stallMs = stallMs;
  }

  /** Follows a new transport, offered `relays` (none: the server offers no TURN). */
  watch(transport: WatchedTransport, relays: RTCIceServer[]): void {
    const link: Link = { relays, connected: false, stall: null, probing: false };
    this.#links.set(transport.id, link);
    // 'connect' is when the browser starts to reach the server (the first track either way).
    transport.on('connect', () => {
      if (link.stall !== null || link.connected) return;
      link.stall = setTimeout(() => {
        link.stall = null;
        if (!link.connected && this.#links.get(transport.id) === link) this.#diagnose(transport.id, link);
      }, this.#stallMs);
    });
    transport.on('connectionstatechange', (state) => {
      if (this.#links.get(transport.id) !== link) return;
      if (state === 'connected') {
        link.connected = true;
        this.#clearStall(link);
        this.#set(transport.id, null);
      } else if (state === 'failed') {
        link.connected = false;
        this.#clearStall(link);
        this.#diagnose(transport.id, link);
      } else if (state === 'disconnected') {
        // Passing, or about to fail: an ICE restart follows (MediaSession); 'failed' diagnoses.
        link.connected = false;
      }
    });
  }

  /** The server handed new relays (an ICE restart): later probes use them. */
  relaysChanged(transportId: string, relays: RTCIceServer[]): void {
    const link = this.#links.get(transportId);
    if (link) link.relays = relays;
  }

  /** Forgets every transport (they were closed): nothing to show about them any more. */
  clear(): void {
    for (const link of this.#links.values()) this.#clearStall(link);
    this.#links.clear();
    this.#problems.clear();
    this.#show();
  }

  #diagnose(transportId: string, link: Link): void {
    if (link.relays.length === 0) {
      this.#set(transportId, 'failed');
      return;
    }
    if (link.probing) return;
    link.probing = true;
    this.#probe(link.relays).then(
      (verdict) => {
        link.probing = false;
        // Connected meanwhile (an ICE restart got through), or closed: nothing to explain.
        if (!link.connected && this.#links.get(transportId) === link) this.#set(transportId, FROM_VERDICT[verdict]);
      },
      (error: unknown) => {
        link.probing = false;
        console.warn('relay probe failed', error);
        if (!link.connected && this.#links.get(transportId) === link) this.#set(transportId, 'failed');
      },
    );
  }

  #clearStall(link: Link): void {
    if (link.stall !== null) clearTimeout(link.stall);
    link.stall = null;
  }

  #set(transportId: string, problem: MediaLinkProblem | null): void {
    if (problem === null) this.#problems.delete(transportId);
    else this.#problems.set(transportId, problem);
    this.#show();
  }

  #show(): void {
    // One line for the page: the most telling of the transports' problems.
    const problems = new Set(this.#problems.values());
    const shown = problems.has('relayRefused') ? 'relayRefused' : problems.has('relayUnreachable') ? 'relayUnreachable' : problems.has('failed') ? 'failed' : null;
    if (shown === this.#shown) return;
    this.#shown = shown;
    this.#report(shown);
  }
}
