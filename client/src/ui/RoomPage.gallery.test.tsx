// @vitest-environment jsdom
/**
 * The gallery beside the floor stage: whoever the stage shows is shown there only, not again
 * as a tile below (a first-time chair took the two for two people). The speaker's own page
 * keeps their self-view, whose chip says whether they are heard.
 */
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom } from '../../../signaling/room/testing.js';
import { setLanguage } from '../i18n/index.js';
import { RoomPage } from './RoomPage.js';
import { renderInRoom, type Rendered } from './testing.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

/** m2's page with host, m1 and the d2 terminal v1 as media peers (no cameras: avatar tiles). */
function page(room: ReturnType<typeof fullRoom>, me = 'm2'): Rendered {
  const view = renderInRoom(room, me, () => <RoomPage />);
  act(() => {
    for (const id of ['host', 'm1', 'v1', 'm2'].filter((p) => p !== me)) view.store.dispatch({ type: 'peerJoined', peer: { id, displayName: `name-${id}`, producers: [] } });
  });
  return view;
}

const tiles = () => screen.queryAllByTestId('peer-tile').map((tile) => tile.getAttribute('data-peer-id'));

describe('the floor holder appears once', () => {
  test('a member on the floor leaves the gallery while they speak, and comes back after', () => {
    const room = fullRoom();
    const view = page(room);
    expect(tiles()).toEqual(['host', 'm1', 'v1']);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 60 }, 'host');
    act(() => view.refresh());
    expect(screen.getByTestId('floor-holder').textContent).toBe('name-m1');
    expect(tiles()).toEqual(['host', 'v1']);
    // Not alone in the room: the speaker is there, on the stage.
    expect(screen.queryByText(/只有您/)).toBeNull();
    room.ok({ type: 'floor:revoke' }, 'host');
    act(() => view.refresh());
    expect(tiles()).toEqual(['host', 'm1', 'v1']);
  });

  test('a venue on the floor is shown by its terminal on the stage, not in the gallery', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd2' }, seconds: 60 }, 'host');
    page(room);
    expect(screen.getByTestId('floor-holder').textContent).toContain('二区');
    expect(tiles()).toEqual(['host', 'm1']);
  });

  test('while I speak my own tile (my self-view with my microphone’s state) stays', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 60 }, 'host');
    page(room);
    expect(screen.getByTestId('floor-holder').textContent).toBe('name-m2');
    // No microphone in this page, so no chip: the tile is what carries it (Tiles.tsx).
    expect(screen.getByTestId('local-tile')).toBeTruthy();
    expect(tiles()).toEqual(['host', 'm1', 'v1']);
  });
});
