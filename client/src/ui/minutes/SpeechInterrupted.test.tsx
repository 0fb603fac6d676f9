// @vitest-environment jsdom
/**
 * The secretary's minutes show a speech a point of order interrupted as one speech: its time
 * spoken without the interruption, and how long the point of order held it up.
 */
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { MinutesPanel } from './MinutesPanel.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

test('an interrupted speech reads as one speech, with the pause for the point of order beside its time', () => {
  const room = fullRoom();
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 180 }, 'host');
  room.advance(60_000);
  room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'obs');
  room.ok({ type: 'floor:interrupt' }, 'host');
  room.advance(45_000);
  room.ok({ type: 'floor:yield' }, 'obs');
  room.advance(30_000);
  room.ok({ type: 'floor:yield' }, 'm1');
  renderInRoom(room, 'sec', (r) => <MinutesPanel room={r} />);
  const [order, speech] = screen.getAllByTestId('minutes-speech');
  expect(order?.getAttribute('data-section')).toBe('speech:0');
  expect(order?.textContent).toContain('程序性问题');
  expect(order?.querySelector('[data-testid="minutes-speech-interrupted"]')).toBeNull();
  expect(speech?.getAttribute('data-section')).toBe('speech:1');
  expect(speech?.querySelector('[data-testid="minutes-speech-interrupted"]')?.textContent).toBe('其间因程序性问题暂停 45 秒');
  expect(speech?.textContent).toContain('1 分 30 秒');
});
