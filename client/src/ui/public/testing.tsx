/** For the public page's tests: a public view, and the viewer's client as the page sees it. */
import { act, render } from '@testing-library/react';
import type { PublicView } from '../../../../signaling/audience.js';
import type { AudienceSource, AudienceState } from '../../audience/AudienceClient.js';
import type { RealtimeStatus, WatchMode } from '../../audience/watchMode.js';
import { PublicPage } from './PublicPage.js';

/** A live meeting's public view, nobody on the floor; `fields` change it. */
export function aPublicView(fields: Partial<PublicView> = {}): PublicView {
  return {
    roomId: 'room-1',
    topic: '老旧小区加装电梯',
    startsAt: null,
    phase: 'live',
    floor: null,
    stage: null,
    recording: false,
    recordingPublished: false,
    results: [],
    audience: { online: 12, visits: 40 },
    ...fields,
  };
}

/** The viewer's client as the page sees it: a state the test sets, and the watch modes the page chose. */
export class StandInAudience implements AudienceSource {
  state: AudienceState;
  readonly chosen: WatchMode[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(view: PublicView = aPublicView(), preference: WatchMode = 'realtime', realtime: RealtimeStatus = 'idle') {
    this.state = { status: 'watching', error: null, view, clockOffset: 0, stream: null, consumerIds: [], mediaLink: null, preference, realtime };
  }

  start(): void {}
  close(): void {}
  choose(mode: WatchMode): void {
    this.chosen.push(mode);
    this.set({ preference: mode, realtime: mode === 'smooth' ? 'idle' : 'connecting' });
  }

  /** Changes the client's state, as the server's news would. */
  set(patch: Partial<AudienceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  readonly getState = (): AudienceState => this.state;
  /** How many listen to the comments' changes now (the board, while it is shown). */
  commentListeners = 0;
  readonly onComments = (): (() => void) => {
    this.commentListeners++;
    return () => void this.commentListeners--;
  };
}

/** Renders the public page of room-1, opened with the public link `public-link`. */
export async function renderPublicPage(client: AudienceSource): Promise<void> {
  await act(async () => {
    render(<PublicPage invite="public-link" roomId="room-1" client={client} />);
  });
}
