/**
 * The exports' poll tables: a second round's shift from its first, results by venue and by
 * sector, and the secret poll's merge said in words. Figures counted by hand from the ballots.
 */
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { createdRoom, type TestRoom } from '../../signaling/room/testing.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import { docxText } from './verify.js';

/** 11 members: city 6 (经济界), d1 5 (教育界 — one written with markup). */
function meeting(): TestRoom {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (let i = 1; i <= 6; i++) room.arrive(`c${i}`, 'member', 'city', '经济界');
  for (let i = 1; i <= 5; i++) room.arrive(`a${i}`, 'member', 'd1', '<b>教育界</b>');
  const ask = (votes: number[], roundOf?: string) => {
    room.ok({ type: 'poll:create', question: '是否同意加装电梯方案？', kind: 'yesno', options: [], secret: true, allowChange: false, quorumPercent: null, threshold: 'none', durationSeconds: null, ...(roundOf ? { roundOf } : {}) }, 'host');
    const id = room.state.pollOrder.at(-1) ?? '';
    room.ok({ type: 'poll:open', pollId: id }, 'host');
    const voters = [...[1, 2, 3, 4, 5, 6].map((i) => `c${i}`), ...[1, 2, 3, 4, 5].map((i) => `a${i}`)];
    voters.forEach((v, i) => room.ok({ type: 'poll:vote', pollId: id, choices: [votes[i] ?? 0] }, v));
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    return id;
  };
  // Round one: city 3 yes 3 no; d1 1 yes 4 no (4 yes, 7 no). Round two: city 5 yes 1 no; d1 3 yes 2 no (8 yes, 3 no).
  const first = ask([0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1]);
  ask([0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1], first);
  return room;
}

const minutes = minutesSkeleton(meeting().state);

describe('poll tables in the exports', () => {
  test('the record keeps the second round and both breakdowns (venues and sectors coincide here: both shown)', () => {
    expect(minutes.polls[1]?.roundOf).toBe(0);
    expect(minutes.polls[1]?.breakdown?.byVenue.groups).toEqual([
      { label: '主会场', voters: 6, counts: [5, 1, 0] },
      { label: '一区', voters: 5, counts: [3, 2, 0] },
    ]);
  });

  test('Markdown: the shift per option, and the groups, with user text escaped', () => {
    const md = minutesToMarkdown(minutes);
    expect(md).toContain('第二轮表决，与第 1 项（第一轮）相比：');
    // 4 → 8 yes of 11: 36.4 % → 72.7 %, +36 points; 7 → 3 no: −36 points.
    expect(md).toContain('| 赞成 | 4 | 8 | \\+4 票（\\+36 个百分点） |');
    expect(md).toContain('| 反对 | 7 | 3 | \\-4 票（\\-36 个百分点） |');
    expect(md).toContain('| 主会场 | 6 | 5 | 1 | 0 |');
    expect(md).toContain('| &lt;b&gt;教育界&lt;/b&gt; | 5 | 3 | 2 | 0 |');
    expect(md).toContain('不足 5 人的组，以及可由其他组推算出的组，并入“其他”');
  });

  test('HTML and DOCX say the same', async () => {
    const html = minutesToHtml(minutes);
    expect(html).toContain('<td>赞成</td><td>4</td><td>8</td><td>+4 票（+36 个百分点）</td>');
    expect(html).toContain('<td>&#60;b&#62;教育界&#60;/b&#62;</td><td>5</td><td>3</td><td>2</td><td>0</td>');
    const text = docxText(await minutesToDocx(minutes));
    expect(text).toContain('第二轮表决，与第 1 项（第一轮）相比：');
    expect(text).toContain('+4 票（+36 个百分点）');
  });
});
