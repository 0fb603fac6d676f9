/**
 * Recorded meetings for tests and benchmarks of the minutes: logs made through the real
 * `decide` and `apply` (TestRoom), with an injected clock, so the minutes are drawn from the
 * same kind of state a real room folds to.
 */
import type { CommentsSummary } from '../comments/model.js';
import type { ClientCommand } from '../room/commands.js';
import { createdRoom, publicComment, type TestRoom } from '../room/testing.js';
import type { Role } from '../room/state.js';

type PollCreate = Extract<ClientCommand, { type: 'poll:create' }>;

const MINUTE = 60_000;
const system = { kind: 'system' } as const;

/** Participant ids of the recorded meeting and the names they carry. */
export const NAMES = {
  host: '王主任',
  sec: '赵秘书',
  m1: '张伟',
  m2: '李娜',
  v1: '二区会议室',
  obs: '住建局刘工',
  pub: '群众甲',
  dept: '区住建局',
} as const;

function arrive(room: TestRoom, id: keyof typeof NAMES, role: Role, venue: string, sector: string): void {
  room.ok({ type: 'system:arrive', participantId: id, inviteId: `inv-${id}`, name: NAMES[id], role, venue, sector }, system);
}

function poll(room: TestRoom, over: Partial<PollCreate>): string {
  const base: PollCreate = {
    type: 'poll:create',
    question: '是否同意加装电梯实施方案？',
    kind: 'yesno',
    options: [],
    secret: false,
    allowChange: true,
    quorumPercent: 50,
    threshold: 'simple',
    durationSeconds: null,
  };
  room.ok({ ...base, ...over }, 'host');
  return room.state.pollOrder[room.state.pollOrder.length - 1] ?? '';
}

function vote(room: TestRoom, pollId: string, voter: string, choices: number[], reason?: string): void {
  room.ok({ type: 'poll:vote', pollId, choices, ...(reason === undefined ? {} : { reason }) }, voter);
}

/**
 * A short meeting with everything the minutes record: three speeches (one by a whole venue),
 * m2 dropping out for five minutes, a named yes/no poll, a secret choice poll, a roll call
 * that v1 misses, and the end.
 */
export function recordedMeeting(options: { comments?: boolean } = {}): TestRoom {
  const room = createdRoom({ quorumPercent: 60 });
  if (options.comments) arrive(room, 'dept', 'department', 'city', '住建局');
  arrive(room, 'host', 'host', 'city', '');
  arrive(room, 'sec', 'secretary', 'city', '');
  arrive(room, 'm1', 'member', 'city', '经济界');
  arrive(room, 'm2', 'member', 'd1', '教育界');
  arrive(room, 'v1', 'venue', 'd2', '');
  arrive(room, 'obs', 'observer', 'city', '列席');
  arrive(room, 'pub', 'public', 'city', '');
  room.ok({ type: 'lobby:admitAll' }, 'host');
  room.advance(2 * MINUTE);

  room.ok({ type: 'queue:raise', speechType: 'statement', note: '建议按楼层分摊费用' }, 'm1');
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 180 }, 'host');
  room.advance(90_000);
  room.ok({ type: 'floor:yield' }, 'm1');

  room.ok({ type: 'system:disconnect', participantId: 'm2' }, system);
  room.advance(5 * MINUTE);
  room.ok({ type: 'system:reconnect', participantId: 'm2' }, system);

  room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd2' }, seconds: 120 }, 'host');
  room.advance(MINUTE);
  room.ok({ type: 'floor:revoke' }, 'host');

  room.ok({ type: 'queue:raise', speechType: 'question', note: '低层住户如何补偿？' }, 'm2');
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 120 }, 'host');
  room.advance(45_000);
  room.ok({ type: 'floor:yield' }, 'm2');

  const named = poll(room, {});
  room.ok({ type: 'poll:open', pollId: named }, 'host');
  vote(room, named, 'm1', [0]);
  vote(room, named, 'm2', [1]);
  vote(room, named, 'v1', [0]);
  room.advance(MINUTE);
  room.ok({ type: 'poll:close', pollId: named }, 'host');

  const secret = poll(room, {
    question: '电梯选址采用哪个方案？',
    kind: 'single',
    options: ['东侧方案', '西侧方案', '暂缓'],
    secret: true,
    allowChange: false,
    threshold: 'none',
    quorumPercent: null,
  });
  room.ok({ type: 'poll:open', pollId: secret }, 'host');
  vote(room, secret, 'm1', [1]);
  vote(room, secret, 'm2', [0]);
  vote(room, secret, 'v1', [1]);
  room.advance(MINUTE);
  room.ok({ type: 'poll:close', pollId: secret }, 'host');

  room.ok({ type: 'rollCall:start' }, 'host');
  room.ok({ type: 'rollCall:confirm' }, 'm1');
  room.ok({ type: 'rollCall:confirm' }, 'm2');
  room.advance(MINUTE);
  room.ok({ type: 'rollCall:end' }, 'host');
  room.advance(MINUTE);
  if (options.comments) stageComments(room);
  room.ok({ type: 'room:end' }, 'host');
  return room;
}

/** The comment store's summary the recorded meeting's lock takes (with `comments`). */
export const COMMENTS_SUMMARY: CommentsSummary = {
  counts: { received: 57, pending: 3, approved: 41, rejected: 9, merged: 4, answered: 12, upvotes: 318 },
  byTheme: [
    { theme: '费用分摊', count: 17 },
    { theme: '低层补偿', count: 9 },
  ],
  mostUpvoted: [
    publicComment('c1', {
      name: '王阿姨',
      place: '幸福街道',
      text: '我住六楼，每天上下楼很吃力，希望尽快加装。\n费用能否按楼层分摊？',
      upvotes: 88,
      themes: ['费用分摊'],
      answer: { department: '区住建局', text: '将按楼层系数测算分摊方案，年内公示。', answeredAt: 1_700_003_000_000 },
    }),
    publicComment('c2', { name: '一楼住户', place: '', text: '低层住户的采光和噪音影响怎么补偿？', upvotes: 40, themes: ['低层补偿'] }),
  ],
  chainHead: { seq: 131, hash: 'c0ffee'.repeat(10) + 'beef' },
};

/** The chair puts two comments on the stage, asks the department to answer the first, which it does. */
function stageComments(room: TestRoom): void {
  const [first, second] = COMMENTS_SUMMARY.mostUpvoted;
  if (!first || !second) throw new Error('fixture lost its comments');
  room.comments.set('c1', { ...first, answer: null });
  room.comments.set('c2', second);
  room.ok({ type: 'comment:stage', commentId: 'c1', askParticipantId: 'dept' }, 'host');
  room.advance(MINUTE);
  room.comments.set('c1', first);
  room.ok({ type: 'comment:unstage' }, 'host');
  room.ok({ type: 'comment:stage', commentId: 'c2' }, 'host');
  room.advance(MINUTE);
  room.commentCounts = { ...COMMENTS_SUMMARY.counts, received: 55, upvotes: 301 };
  room.commentsSummary = COMMENTS_SUMMARY;
}

/**
 * A long meeting: `speeches` speeches by members from every venue spread over `hours`, then a
 * named and a secret poll, for the export benchmark and the size test.
 */
export function longMeeting(speeches: number, hours: number): TestRoom {
  const room = createdRoom({ quorumPercent: 50 });
  arrive(room, 'host', 'host', 'city', '');
  arrive(room, 'sec', 'secretary', 'city', '');
  const venues = ['city', 'd1', 'd2'];
  const members = Array.from({ length: 30 }, (_, i) => `m${i + 1}`);
  members.forEach((id, i) => {
    const venue = venues[i % venues.length] ?? 'city';
    room.ok({ type: 'system:arrive', participantId: id, inviteId: `inv-${id}`, name: `委员${i + 1}号`, role: 'member', venue, sector: '界别' + (i % 5) }, system);
  });
  room.ok({ type: 'lobby:admitAll' }, 'host');
  const slot = Math.floor((hours * 60 * MINUTE) / (speeches + 1));
  for (let i = 0; i < speeches; i += 1) {
    const id = members[i % members.length] ?? 'm1';
    room.ok({ type: 'queue:raise', speechType: i % 7 === 0 ? 'supplement' : 'statement', note: `第${i + 1}个发言：关于加装电梯的资金来源、施工安全与后期维护的意见` }, id);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: id }, seconds: 600 }, 'host');
    room.advance(slot);
    room.ok({ type: 'floor:yield' }, id);
  }
  const named = poll(room, {});
  room.ok({ type: 'poll:open', pollId: named }, 'host');
  members.forEach((id, i) => vote(room, named, id, [i % 3]));
  room.ok({ type: 'poll:close', pollId: named }, 'host');
  room.advance(slot);
  room.ok({ type: 'room:end' }, 'host');
  return room;
}

/** A passage of `n` sentences, as a secretary would write it up (several paragraphs). */
function passage(subject: string, n: number): string {
  const sentences = [
    `${subject}认为，加装电梯是老旧小区改造中群众最关心的事项之一，应当坚持居民自愿、协商一致的原则。`,
    '资金宜采取财政补贴、住房公积金提取和居民分摊相结合的方式，低层住户的分摊比例应适当降低。',
    '施工期间要做好安全防护和噪声控制，并提前公示施工方案，听取住户意见。',
    '建成后的维护保养责任应在协议中写明，可委托物业服务企业统一管理。',
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push(sentences[i % sentences.length] ?? '');
  // Two sentences a paragraph: the exports render paragraphs, not one long line.
  const paras: string[] = [];
  for (let i = 0; i < out.length; i += 2) paras.push(out.slice(i, i + 2).join(''));
  return paras.join('\n');
}

/**
 * The secretary's part of an ended meeting, done through the real commands: every speech
 * section written up, conclusions, action items, written statements, and the confirmation
 * (核稿) of each passage in every state — requested, confirmed, correction proposed, accepted.
 * `sec` writes; the speakers answer for their own passages.
 */
export function fillMinutes(room: TestRoom): TestRoom {
  const s = room.state;
  s.speeches.forEach((sp, i) => {
    const who = sp.holder.kind === 'participant' ? (s.participants[sp.holder.participantId]?.name ?? '') : '该分会场';
    room.ok({ type: 'minutes:edit', section: `speech:${i}`, text: passage(who, 4 + (i % 3)), baseVersion: 0 }, 'sec');
  });
  room.ok({ type: 'minutes:edit', section: 'conclusions', text: passage('会议', 6), baseVersion: 0 }, 'sec');
  room.ok({ type: 'minutes:addAction', owner: '区住建局', due: '2025-06-30', text: '会同街道拟定加装电梯实施方案并公示' }, 'sec');
  room.ok({ type: 'minutes:addAction', owner: '街道办事处', due: null, text: '逐户征求低层住户意见，形成书面记录' }, 'sec');
  room.ok({ type: 'minutes:addAction', owner: '区财政局', due: '2025-07-15', text: '测算补贴资金并提出分摊建议' }, 'sec');
  const members = Object.values(s.participants).filter((p) => p.role === 'member');
  members.slice(0, 3).forEach((p, i) => {
    room.ok({ type: 'minutes:submitStatement', text: `${passage(p.name, 2 + i)}\n以上为书面发言。` }, p.id);
  });
  const bySpeaker = room.state.speeches.flatMap((sp, i) => (sp.holder.kind === 'participant' ? [{ i, id: sp.holder.participantId }] : []));
  bySpeaker.forEach(({ i, id }, n) => {
    const section = `speech:${i}`;
    if (n % 4 === 3) return; // not sent yet: 未送核
    room.ok({ type: 'minutes:requestConfirmation', section }, 'sec');
    if (n % 4 === 0) room.ok({ type: 'minutes:confirm', section }, id);
    if (n % 4 === 1) room.ok({ type: 'minutes:proposeCorrection', section, text: `${passage('本人', 2)}\n（发言人更正）` }, id);
    // n % 4 === 2 stays pending: 待确认
  });
  // One accepted correction, so a passage reads as the speaker corrected it.
  const corrected = bySpeaker.find((_, n) => n % 4 === 1);
  if (corrected && bySpeaker.length > 4) room.ok({ type: 'minutes:acceptCorrection', section: `speech:${corrected.i}` }, 'sec');
  return room;
}
