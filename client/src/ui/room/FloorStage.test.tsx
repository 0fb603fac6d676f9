// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RoomState } from '../../../../signaling/room/state.js';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { FloorStage } from './FloorStage.js';

beforeAll(() => setLanguage('en'));
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const stage = (room: RoomState) => (room.floor === null ? <p>no floor</p> : <FloorStage floor={room.floor} />);

/** A room where m1 was given the floor for 10 s (amber 3 s before the end, 2 s of grace). */
function speaking(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'room:settings', warningSeconds: 3, graceSeconds: 2 }, 'host');
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 10 }, 'host');
  return room;
}

/** The countdown as it reads: the time and the words beside it. */
function readClock(): { time: string; words: string } {
  const timer = screen.getByRole('timer', { name: 'Speaking time left' });
  const [time, words] = Array.from(timer.children, (c) => c.textContent ?? '');
  return { time: time ?? '', words: words ?? '' };
}

/** Moves the page's clock to `ms` after the floor was granted. */
function at(room: TestRoom, ms: number): void {
  act(() => vi.setSystemTime(room.now + ms));
  act(() => vi.advanceTimersByTime(300));
}

describe('the countdown', () => {
  test('counts down in numbers and says each phase in words, not by colour alone', () => {
    const room = speaking();
    vi.setSystemTime(room.now);
    renderInRoom(room, 'm2', stage);
    expect(readClock()).toEqual({ time: '00:10', words: 'Time left' });
    at(room, 4_000);
    expect(readClock()).toEqual({ time: '00:06', words: 'Time left' });
    at(room, 7_500);
    expect(readClock()).toEqual({ time: '00:03', words: 'Time almost up' });
    // Past the limit, the 2 s of grace ask the speaker to finish; after them it is over time.
    at(room, 10_200);
    expect(readClock()).toEqual({ time: '+00:00', words: 'Please finish' });
    at(room, 11_500);
    expect(readClock()).toEqual({ time: '+00:01', words: 'Please finish' });
    at(room, 12_500);
    expect(readClock()).toEqual({ time: '+00:02', words: 'Over time' });
  });

  test('a paused clock stands still and says so', () => {
    const room = speaking();
    room.advance(4_000);
    room.ok({ type: 'floor:pause' }, 'host');
    vi.setSystemTime(room.now);
    renderInRoom(room, 'm2', stage);
    expect(readClock()).toEqual({ time: '00:06', words: 'Paused' });
    at(room, 20_000);
    expect(readClock()).toEqual({ time: '00:06', words: 'Paused' });
  });
});

describe('the stage', () => {
  test('names the speaker, their venue and the kind of speech', () => {
    const room = speaking();
    vi.setSystemTime(room.now);
    renderInRoom(room, 'm2', stage);
    const region = screen.getByRole('region', { name: 'Floor' });
    expect(within(region).getByText('name-m1')).toBeTruthy();
    expect(within(region).getByText('主会场')).toBeTruthy();
    expect(within(region).getByText('Statement')).toBeTruthy();
  });

  test('the chair gets the clock’s controls; others do not', () => {
    const room = speaking();
    vi.setSystemTime(room.now);
    const host = renderInRoom(room, 'host', stage);
    const controls = screen.getByRole('group', { name: 'Floor controls' });
    fireEvent.click(within(controls).getByRole('button', { name: '+1 min' }));
    expect(host.sent.at(-1)).toMatchObject({ type: 'floor:extend', fields: { seconds: 60 }, ok: true });
    expect(readClock().time).toBe('01:10');
    fireEvent.click(within(controls).getByRole('button', { name: 'Pause clock' }));
    expect(within(controls).getByRole('button', { name: 'Resume clock' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(controls).getByRole('button', { name: 'End speech' }));
    expect(room.state.floor).toBeNull();
    expect(screen.getByText('no floor')).toBeTruthy();
    cleanup();

    renderInRoom(speaking(), 'm2', stage);
    expect(screen.queryByRole('group', { name: 'Floor controls' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'End my speech' })).toBeNull();
  });

  test('a chair or secretary whose microphone is live is told they are heard during others’ speeches', () => {
    const room = speaking();
    vi.setSystemTime(room.now);
    const live = { trackId: 't-mic', producerId: 'p-mic', paused: false };
    const host = renderInRoom(room, 'host', stage);
    // No microphone yet: nothing to say.
    expect(screen.queryByText(/always heard/)).toBeNull();
    act(() => host.store.dispatch({ type: 'localSet', source: 'mic', media: live }));
    expect(screen.getByText('As chair you are always heard; mute while others speak')).toBeTruthy();
    act(() => host.store.dispatch({ type: 'localPatched', source: 'mic', patch: { paused: true } }));
    expect(screen.queryByText(/always heard/)).toBeNull();
    cleanup();

    const secretary = renderInRoom(room, 'sec', stage);
    act(() => secretary.store.dispatch({ type: 'localSet', source: 'mic', media: live }));
    expect(screen.getByText('As secretary you are always heard; mute while others speak')).toBeTruthy();
    cleanup();

    // A member's live microphone is the floor's business, not a hint's.
    const member = renderInRoom(room, 'm2', stage);
    act(() => member.store.dispatch({ type: 'localSet', source: 'mic', media: live }));
    expect(screen.queryByText(/always heard/)).toBeNull();
  });

  test('the speaker is told they have the floor and may end their speech', () => {
    const room = speaking();
    vi.setSystemTime(room.now);
    const speaker = renderInRoom(room, 'm1', stage);
    expect(screen.getByText('You have the floor')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Floor controls' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'End my speech' }));
    expect(speaker.sent.at(-1)).toMatchObject({ type: 'floor:yield', ok: true });
    expect(room.state.floor).toBeNull();
  });
});
