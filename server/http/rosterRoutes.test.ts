/**
 * What an import changes, worked out before anything is written: members matched by name and
 * sector, only the file's columns compared and changed, replace removing the rest. And the
 * roster's order.
 */
import { describe, expect, test } from 'vitest';
import type { RosterFields, RosterMember } from '../../signaling/orgs/model.js';
import { importPlan, sortedRoster } from './rosterRoutes.js';

const fields = (name: string, sector: string, more: Partial<RosterFields> = {}): RosterFields => ({
  name, sector, venue: '', district: '', phone: '', email: '', note: '', ...more,
});
const stored = (memberId: string, name: string, sector: string, more: Partial<RosterFields> = {}): RosterMember => ({
  ...fields(name, sector, more), memberId, orgId: 'org-one', updatedAt: 1,
});

const roster = [
  stored('member-a', '张三', '经济界', { venue: 'city', phone: '1' }),
  stored('member-b', '李四', '教育界', { venue: 'd1' }),
  stored('member-c', '张三', '教育界'),
];
const at = { orgId: 'org-one', at: 100 };

describe('importPlan()', () => {
  test('merge: the same name and sector is updated in place, only in the file\'s columns; a new pair is added; nobody removed', () => {
    const plan = importPlan(roster, [fields('张三', '经济界', { phone: '2' }), fields('王五', '经济界')], ['name', 'sector', 'phone'], 'merge', at);
    expect(plan).toMatchObject({ added: 1, updated: 1, remove: [], size: 4 });
    expect(plan.put).toContainEqual({ ...roster[0], phone: '2', updatedAt: 100 });
    const added = plan.put.find((m) => m.name === '王五');
    expect(added).toMatchObject({ orgId: 'org-one', sector: '经济界', updatedAt: 100 });
    expect(added?.memberId).toMatch(/^[A-Za-z0-9_-]{6,40}$/);
    expect(roster.map((m) => m.memberId)).not.toContain(added?.memberId);
  });

  test('a member whose columns in the file hold what the roster holds is not written', () => {
    // The file has no venue column: member-a keeps 'city', and nothing else differs.
    const plan = importPlan(roster, [fields('张三', '经济界', { phone: '1' })], ['name', 'sector', 'phone'], 'merge', at);
    expect(plan).toMatchObject({ added: 0, updated: 0, put: [], remove: [] });
  });

  test('an empty cell in a column the file has clears the field', () => {
    const plan = importPlan(roster, [fields('李四', '教育界')], ['name', 'sector', 'venue'], 'merge', at);
    expect(plan.put).toEqual([{ ...roster[1], venue: '', updatedAt: 100 }]);
  });

  test('replace: the members the file does not list are removed; same name in another sector is another member', () => {
    const plan = importPlan(roster, [fields('张三', '经济界', { phone: '1' })], ['name', 'sector', 'phone'], 'replace', at);
    expect(plan).toMatchObject({ added: 0, updated: 0, size: 1 });
    expect(plan.remove.sort()).toEqual(['member-b', 'member-c']);
  });

  test('replace with an empty file empties the roster', () => {
    expect(importPlan(roster, [], ['name'], 'replace', at)).toMatchObject({ put: [], remove: ['member-a', 'member-b', 'member-c'], size: 0 });
  });
});

describe('sortedRoster()', () => {
  test('by sector, then name, in pinyin order', () => {
    const members = [
      stored('m1', '张三', '经济界'), stored('m2', '安娜', '经济界'), stored('m3', '周五', '教育界'),
      stored('m4', '白云', '农业界'), stored('m5', '王五', '经济界'),
    ];
    // 教育 jiào < 经济 jīng < 农业 nóng; 安 ān < 王 wáng < 张 zhāng.
    expect(sortedRoster(members).map((m) => m.memberId)).toEqual(['m3', 'm2', 'm5', 'm1', 'm4']);
  });
});
