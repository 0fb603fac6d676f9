/**
 * The poll tables the exports add after a poll's counts: how a second round moved from its
 * first, and the results by venue and by sector (for a secret poll, with the rule that merged
 * small groups into 其他 said in words). Plain text cells; each renderer escapes them its way.
 */
import type { BreakdownRecord, PollRecord } from '../../signaling/record/types.js';
import { label } from './common.js';

/** A captioned table, or a caption alone (`head` empty). */
export type CaptionedTable = { caption: string; head: string[]; rows: string[][] };

/** The tables of `poll` (the `i`-th of `all`) beyond its counts, in reading order. */
export function pollTables(poll: PollRecord, all: readonly PollRecord[]): CaptionedTable[] {
  const out: CaptionedTable[] = [];
  const first = poll.roundOf === undefined ? undefined : all[poll.roundOf];
  if (first && poll.roundOf !== undefined && first.counts && poll.counts) out.push(shiftTable(poll, first, poll.roundOf));
  if (poll.breakdown) out.push(...breakdownTables(poll, poll.breakdown));
  return out;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function share(counts: readonly number[], votes: number, i: number): number {
  return votes > 0 ? ((counts[i] ?? 0) * 100) / votes : 0;
}

function shiftTable(poll: PollRecord, first: PollRecord, at: number): CaptionedTable {
  const before = first.counts ?? [];
  const now = poll.counts ?? [];
  const rows = poll.options.map((o, i) => {
    const points = Math.round(share(now, poll.voted, i) - share(before, first.voted, i));
    return [label.option(poll, o), String(before[i] ?? 0), String(now[i] ?? 0), `${signed((now[i] ?? 0) - (before[i] ?? 0))} 票（${signed(points)} 个百分点）`];
  });
  return { caption: `第二轮表决，与第 ${at + 1} 项（第一轮）相比：`, head: ['选项', '第一轮', '第二轮', '变化'], rows };
}

function breakdownTables(poll: PollRecord, b: BreakdownRecord): CaptionedTable[] {
  const options = poll.options.map((o) => label.option(poll, o));
  const out: CaptionedTable[] = [];
  if (b.minGroup !== null) {
    out.push({ caption: `无记名投票的分组结果：不足 ${b.minGroup} 人的组，以及可由其他组推算出的组，并入“其他”，以免推知个人的选择。`, head: [], rows: [] });
  }
  for (const [title, dim] of [['会场', b.byVenue], ['界别', b.bySector]] as const) {
    if (dim.groups.length === 0) {
      if (b.minGroup !== null) out.push({ caption: `按${title}：不分组显示（各组人数不足或可相互推算）。`, head: [], rows: [] });
      continue;
    }
    const rows = dim.groups.map((g) => [g.label, String(g.voters), ...g.counts.map(String)]);
    if (dim.other.voters > 0) rows.push(['其他', String(dim.other.voters), ...dim.other.counts.map(String)]);
    out.push({ caption: `按${title}：`, head: [title, '投票人数', ...options], rows });
  }
  return out;
}
