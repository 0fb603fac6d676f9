// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { VenueQuality } from '../people/VenueQuality.js';
import { renderInRoom } from '../testing.js';
import { FloorStage } from './FloorStage.js';
import { WeakLinkBanner } from './WeakLinkBanner.js';

beforeAll(() => setLanguage('en'));
afterEach(() => cleanup());

describe('the audio-only proposal', () => {
  test('appears after three poor link reports in a row, and "Not now" puts it away while the link stays weak', () => {
    const { store } = renderInRoom(fullRoom(), 'm1', () => <WeakLinkBanner />);
    const report = (score: number) => act(() => store.dispatch({ type: 'linkScore', score }));
    report(2);
    report(3);
    expect(screen.queryByTestId('weak-link')).toBeNull();
    report(1);
    expect(screen.getByTestId('weak-link').textContent).toContain('Switch to audio only?');
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByTestId('weak-link')).toBeNull();
    for (let i = 0; i < 5; i++) report(1);
    expect(screen.queryByTestId('weak-link')).toBeNull();
  });

  test('"Switch to audio only" switches, and the proposal goes', () => {
    const { store, client } = renderInRoom(fullRoom(), 'm1', () => <WeakLinkBanner />);
    const switched = vi.spyOn(client, 'setAudioOnly').mockImplementation((on) => store.dispatch({ type: 'audioOnly', on }));
    for (let i = 0; i < 3; i++) act(() => store.dispatch({ type: 'linkScore', score: 0 }));
    fireEvent.click(screen.getByRole('button', { name: 'Switch to audio only' }));
    expect(switched).toHaveBeenCalledWith(true);
    expect(screen.queryByTestId('weak-link')).toBeNull();
    expect(store.getState().audioOnly).toBe(true);
  });
});

describe('the chair sees who is audio-only', () => {
  test('under the venue’s quality line, by name, and on the stage when the speaker is', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' } }, 'host');
    const { store } = renderInRoom(room, 'host', (state) => (
      <>
        <VenueQuality room={state} />
        {state.floor !== null && <FloorStage floor={state.floor} />}
      </>
    ));
    expect(screen.queryByTestId('venue-audio-only')).toBeNull();
    expect(screen.queryByTestId('floor-audio-only')).toBeNull();
    act(() => store.dispatch({ type: 'quality', peers: [], audioOnly: [{ peerId: 'm2', on: true }] }));
    const d1 = screen.getAllByTestId('venue-quality').find((li) => li.dataset['venue'] === 'd1');
    const m2 = room.state.participants['m2'];
    expect(d1?.textContent).toContain(`Audio only: ${m2?.name ?? 'm2'}`);
    expect(screen.getAllByTestId('venue-audio-only')).toHaveLength(1);
    expect(screen.getByTestId('floor-audio-only').textContent).toBe('Audio only');
    act(() => store.dispatch({ type: 'quality', peers: [], audioOnly: [{ peerId: 'm2', on: false }] }));
    expect(screen.queryByTestId('venue-audio-only')).toBeNull();
  });
});
