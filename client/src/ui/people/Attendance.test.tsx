// @vitest-environment jsdom
/**
 * The numbers a chair reads in the 参会 tab (出席情况 gauges, each venue's heading, the roll call)
 * and those of the minutes, for one realistic room run through the real model: they agree.
 */
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../../../signaling/record/skeleton.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { createdRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { PeoplePanel } from './PeoplePanel.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

/**
 * 主会场 expects 2, 一区 2, 二区 1. Present: the chair, the secretary, an observer, a viewer;
 * members 张 (city), 王 (一区); the 二区 terminal and 钱, a 二区 member the organiser did not
 * count (二区 then expects 2). 张 (heard on the server) and the terminal (no microphone) answer
 * the roll call; 王 is heard but does not answer.
 */
function meeting() {
  const room = createdRoom({ quorumPercent: 50 });
  room.arrive('host', 'host');
  room.arrive('sec', 'secretary');
  room.arrive('zhang', 'member', 'city');
  room.arrive('wang', 'member', 'd1');
  room.arrive('term', 'venue', 'd2');
  room.arrive('qian', 'member', 'd2');
  room.arrive('obs', 'observer', 'city');
  room.arrive('pub', 'public');
  room.ok({ type: 'lobby:admitAll' }, 'host');
  room.ok({ type: 'rollCall:start' }, 'host');
  room.hear('zhang');
  room.hear('wang');
  room.ok({ type: 'rollCall:confirm' }, 'zhang');
  room.ok({ type: 'rollCall:confirm' }, 'term');
  return room;
}

const panel = (room: RoomState) => <PeoplePanel room={room} />;

describe('出席, the venues, the roll call and the minutes agree', () => {
  test('for the chair', () => {
    const room = meeting();
    renderInRoom(room, 'host', panel);
    const gauges = screen.getAllByTestId('quorum-gauge');
    const figures = (venue: string) => {
      const g = gauges.find((el) => el.dataset['venue'] === venue)!;
      return within(g).getByText(/实到/).textContent;
    };
    // 应到 2 + 2 + max(1, 2 who came to 二区) = 6; 实到 4 members and the terminal's seat.
    expect(figures('*')).toBe('实到 4 / 应到 6');
    expect(figures('city')).toBe('实到 1 / 应到 2');
    expect(figures('d1')).toBe('实到 1 / 应到 2');
    expect(figures('d2')).toBe('实到 2 / 应到 2');
    // The venue headings say the same; the chair, the secretary and the observer are not counted.
    expect(screen.getByRole('region', { name: '主会场：实到 1 / 应到 2' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '一区：实到 1 / 应到 2' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '二区：实到 2 / 应到 2' })).toBeTruthy();
    // The roll call counts against the same 应到.
    expect(screen.getByTestId('rollcall-status').textContent).toBe('正在点名：已应答 2 / 应到 6');
    // Only seats carry an answer mark; present needs the answer AND the microphone heard:
    // 张 is present, the terminal answered without a microphone, 王 was heard without
    // answering, 钱 neither; staff and the observer carry none.
    const marks = screen.getAllByTestId('rollcall-state').map((el) => [el.closest('li')?.dataset['participantId'], el.dataset['answer'], el.textContent]);
    expect(marks.sort()).toEqual([
      ['qian', 'none', '未应答'],
      ['term', 'noMic', '已应答·无麦克风'],
      ['wang', 'heard', '有声音·未应答'],
      ['zhang', 'present', '已到'],
    ]);
    // The chair's check adds them up the same way.
    const counts = Object.fromEntries(screen.getAllByTestId('rollcall-count').map((el) => [el.dataset['answer'], Number(el.dataset['count'])]));
    expect(counts).toEqual({ present: 1, silent: 0, noMic: 1, heard: 1, none: 1 });
    expect(screen.getByTestId('hall-count').textContent).toBe('二区：尚未报告');

    // The minutes: the same 应到, the same answers, no secretary among those not answering.
    const m = minutesSkeleton(room.state);
    expect(m.attendance[0]).toMatchObject({ venue: '*', expected: 6, present: 4 });
    expect(m.rollCall).toMatchObject({ expected: 6, confirmed: ['name-zhang', 'name-term'], absent: ['name-wang', 'name-qian'] });
    // The record says whose answer the server could not back with their microphone.
    expect(m.rollCall?.notHeard).toEqual(['name-term']);
  });

  test('for a member, the same gauges', () => {
    const room = meeting();
    renderInRoom(room, 'wang', panel);
    const total = screen.getAllByTestId('quorum-gauge').find((el) => el.dataset['venue'] === '*')!;
    expect(total.dataset['present']).toBe('4');
    expect(total.dataset['expected']).toBe('6');
  });
});
