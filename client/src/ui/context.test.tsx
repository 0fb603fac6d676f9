// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { memo } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { fullRoom } from '../../../signaling/room/testing.js';
import { useRoomSelector } from './context.js';
import { renderInRoom } from './testing.js';

afterEach(cleanup);

describe('useRoomSelector', () => {
  test('a memoised component renders again only when its selected value changes', () => {
    let renders = 0;
    const PanelOpen = memo(function PanelOpen() {
      const open = useRoomSelector((s) => s.panel.open);
      renders += 1;
      return <span data-testid="open">{open ? 'open' : 'closed'}</span>;
    });
    const view = renderInRoom(fullRoom(), 'host', () => <PanelOpen />);
    expect(screen.getByTestId('open').textContent).toBe('closed');
    const first = renders;

    // A change of the store that is not the panel's (a media one, say): no render.
    act(() => view.store.dispatch({ type: 'audioBlocked', blocked: true }));
    expect(view.store.getState().audioBlocked).toBe(true);
    expect(renders).toBe(first);

    act(() => view.store.dispatch({ type: 'panel', tab: 'polls', open: true }));
    expect(renders).toBe(first + 1);
    expect(screen.getByTestId('open').textContent).toBe('open');
  });
});
