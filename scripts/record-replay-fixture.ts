/**
 * Records a consultation's log, as the server writes it, for the replay test
 * (server/rooms/replay.test.ts): a meeting that uses every client command and most system
 * ones, run through the real RoomService on a real SQLite store with a fixed clock.
 *
 * The fixture is a record of what the code wrote when it was made: a later change of the
 * model must fold the same log to the same state and the same views. Record it again only
 * when the log's format changes on purpose (and say so in the commit).
 *
 *   bash scripts/run.sh tsx scripts/record-replay-fixture.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommentsSummary, PublicComment } from '../signaling/comments/model.js';
import type { RoomCommand } from '../signaling/room/commands.js';
import type { CommandActor } from '../signaling/room/decide.js';
import { publicComment } from '../signaling/room/testing.js';
import { eventForViewer, stateForViewer } from '../signaling/room/visibility.js';
import { createLogger } from '../server/log.js';
import { BallotBox } from '../server/rooms/BallotBox.js';
import type { CommentReader } from '../server/rooms/commentContext.js';
import { RoomService } from '../server/rooms/RoomService.js';
import { SqliteEventStore } from '../server/store/SqliteEventStore.js';
import { REPLAY_FIXTURE, REPLAY_VIEWERS, type ReplayFixture } from '../test/fixtures/replay/fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wsl-replay-'));
let now = Date.UTC(2026, 11, 2, 6, 30);
const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'), createLogger('warn'));
const COUNTS = { received: 4, pending: 1, approved: 2, rejected: 1, merged: 0, answered: 1, upvotes: 9 };
const approved: PublicComment[] = [
  publicComment('c1', { text: '加装电梯的费用如何分摊？', upvotes: 7, themes: ['费用'] }),
  publicComment('c2', { text: '低层住户的意见也要听。', upvotes: 2, themes: ['意见'] }),
];
const comments: CommentReader = {
  approved: async (_roomId, commentId) => approved.find((c) => c.id === commentId),
  counts: async () => COUNTS,
  summary: async (): Promise<CommentsSummary> => ({
    counts: COUNTS,
    byTheme: [{ theme: '费用', count: 1 }, { theme: '意见', count: 1 }],
    mostUpvoted: approved,
    chainHead: { seq: 6, hash: 'a'.repeat(64) },
  }),
};
const rooms = new RoomService({
  store,
  logger: createLogger('warn'),
  ballotBox: new BallotBox('replay-fixture-ballot-secret-32-chars!'),
  clock: () => now,
  comments,
  // The recording's files as the server would read them at the lock (none is written here).
  recordings: {
    read: async (_roomId, parts) => ({ parts: parts.map((p) => ({ ...p, durationMs: 120_000, bytes: 28_000_000, sha256: 'b'.repeat(64) })) }),
  },
});

const system: CommandActor = { kind: 'system' };
const by = (id: string): CommandActor => ({ kind: 'participant', id });
let roomId = '';
async function run(actor: CommandActor, command: RoomCommand, advanceMs = 1_000): Promise<void> {
  now += advanceMs;
  try {
    await rooms.execute(roomId, command, actor);
  } catch (error) {
    throw new Error(`${command.type} by ${actor.kind === 'system' ? 'system' : actor.id} refused`, { cause: error });
  }
}
const arrive = (participantId: string, role: 'host' | 'secretary' | 'member' | 'venue' | 'observer' | 'department', venue: string, sector = '') =>
  run(system, { type: 'system:arrive', participantId, inviteId: `inv-${participantId}`, name: `${participantId}-名`, role, venue, sector });

roomId = await rooms.create({
  topic: '老旧小区加装电梯',
  startsAt: now + 60_000,
  endsAt: now + 3_600_000,
  venues: [
    { id: 'city', name: '主会场', expectedMembers: 2 },
    { id: 'd1', name: '一区分会场', expectedMembers: 2 },
    { id: 'd2', name: '二区分会场', expectedMembers: 1 },
  ],
  settings: { open: false, quorumPercent: 50, speechesPerVenue: 3 },
});
await arrive('host', 'host', 'city');
await arrive('sec', 'secretary', 'city');
await arrive('m1', 'member', 'city', '经济界');
await arrive('m2', 'member', 'd1', '教育界');
await arrive('m3', 'member', 'd1', '医药卫生界');
await arrive('v2', 'venue', 'd2');
await arrive('obs', 'observer', 'city');
await arrive('dept', 'department', 'city', '住建局');
await arrive('m4', 'member', 'd2', '农业界');
await arrive('late', 'member', 'd2');
await run(by('host'), { type: 'lobby:admit', participantId: 'm1' });
await run(by('host'), { type: 'lobby:deny', participantId: 'late' });
await run(by('host'), { type: 'lobby:admitAll' });
await run(by('host'), { type: 'room:settings', locked: true });
await run(by('host'), { type: 'rollCall:start' });
await run(by('m1'), { type: 'rollCall:confirm' });
await run(by('m2'), { type: 'rollCall:confirm' });
await run(by('v2'), { type: 'rollCall:confirm' });
await run(by('host'), { type: 'rollCall:end' });
// The queue: a statement, a question, a point of order (goes first), a move, a withdrawal.
await run(by('m1'), { type: 'queue:raise', speechType: 'statement', note: '' });
await run(by('m2'), { type: 'queue:raise', speechType: 'question', note: '关于资金' });
await run(by('obs'), { type: 'queue:raise', speechType: 'statement', note: '' });
await run(by('m3'), { type: 'queue:raise', speechType: 'order', note: '程序问题' });
await run(by('host'), { type: 'queue:move', participantId: 'obs', toIndex: 1 });
await run(by('obs'), { type: 'queue:withdraw' });
await run(by('host'), { type: 'floor:grant', target: { kind: 'next' }, seconds: 60 });
await run(by('m3'), { type: 'floor:yield' }, 20_000);
await run(by('host'), { type: 'floor:grant', target: { kind: 'next' }, seconds: 120 });
await run(by('host'), { type: 'floor:pause' }, 30_000);
await run(by('host'), { type: 'floor:resume' }, 5_000);
await run(by('host'), { type: 'floor:extend', seconds: 60 });
await run(by('host'), { type: 'media:forceMute', participantId: 'm2' }, 10_000);
await run(by('host'), { type: 'media:allowUnmute', participantId: 'm2' });
await run(by('host'), { type: 'floor:revoke' }, 10_000);
await run(by('host'), { type: 'media:muteAll' });
await run(by('host'), { type: 'floor:grant', target: { kind: 'participant', participantId: 'v2' }, seconds: 30 });
// The speech runs out: the clock's tick ends it.
now += 40_000;
await run(system, { type: 'system:tick' }, 0);
await run(by('host'), { type: 'queue:remove', participantId: 'm2' });
await run(by('m1'), { type: 'queue:raise', speechType: 'statement', note: '' });
await run(by('host'), { type: 'queue:lowerAll' });
await run(by('host'), { type: 'queue:setOpen', open: false });
// The chair records part of the meeting: the recorder begins a file, the chair stops it.
await run(by('host'), { type: 'recording:start' });
await run(system, { type: 'system:recordingPart', name: 'replay-part-1', startedAt: now + 800 });
// A department answers a public comment on stage.
await run(by('host'), { type: 'comment:stage', commentId: 'c1', askParticipantId: 'dept' });
await run(by('host'), { type: 'floor:grant', target: { kind: 'participant', participantId: 'dept' }, seconds: 60 });
await run(by('dept'), { type: 'floor:yield' }, 25_000);
await run(by('host'), { type: 'comment:unstage' });
await run(by('host'), { type: 'recording:stop' });
await run(by('host'), { type: 'comment:stage', commentId: 'c2' });
await run(system, { type: 'system:commentWithdrawn', commentId: 'c2' });
// Polls: a named yes/no that is published, a secret consensus that is closed, not published.
await run(by('host'), { type: 'poll:create', question: '是否同意加装方案？', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', durationSeconds: null });
await run(by('host'), { type: 'poll:open', pollId: 'poll-1' });
await run(by('m1'), { type: 'poll:vote', pollId: 'poll-1', choices: [0] });
await run(by('m2'), { type: 'poll:vote', pollId: 'poll-1', choices: [1] });
await run(by('m2'), { type: 'poll:vote', pollId: 'poll-1', choices: [0] });
await run(by('v2'), { type: 'poll:vote', pollId: 'poll-1', choices: [2] });
await run(by('host'), { type: 'poll:close', pollId: 'poll-1' });
await run(by('host'), { type: 'poll:publish', pollId: 'poll-1' });
await run(by('host'), { type: 'poll:create', question: '方案的成熟度', kind: 'consensus', options: [], secret: true, allowChange: false, quorumPercent: 50, threshold: 'twoThirds', durationSeconds: 120 });
await run(by('host'), { type: 'poll:open', pollId: 'poll-2' });
await run(by('m1'), { type: 'poll:vote', pollId: 'poll-2', choices: [3] });
await run(by('m3'), { type: 'poll:vote', pollId: 'poll-2', choices: [1] });
await run(by('host'), { type: 'poll:close', pollId: 'poll-2' });
// Presence; the chair hands over to m1, who ends the meeting.
await run(system, { type: 'system:disconnect', participantId: 'obs' });
await run(system, { type: 'system:reconnect', participantId: 'obs' });
await run(system, { type: 'system:leave', participantId: 'obs' });
await run(by('host'), { type: 'participant:remove', participantId: 'm4' });
await run(by('host'), { type: 'room:handOver', participantId: 'm1' });
// The minutes, during and after the meeting, to the lock and a new version.
await run(by('sec'), { type: 'minutes:edit', section: 'conclusions', text: '会议认为方案总体可行。', baseVersion: 0 });
await run(by('sec'), { type: 'minutes:addAction', owner: '住建局', due: '2027-03-31', text: '拟定分摊办法' });
await run(by('sec'), { type: 'minutes:addAction', owner: '街道', due: null, text: '走访低层住户' });
await run(by('sec'), { type: 'minutes:removeAction', actionId: 'action-2' });
await run(by('m2'), { type: 'minutes:submitStatement', text: '书面意见：建议分期实施。' });
await run(by('m1'), { type: 'room:end' });
await run(by('sec'), { type: 'minutes:requestConfirmation', section: 'speech:0' });
await run(by('sec'), { type: 'minutes:requestConfirmation', section: 'speech:1' });
await run(by('m3'), { type: 'minutes:confirm', section: 'speech:0' });
await run(by('m1'), { type: 'minutes:proposeCorrection', section: 'speech:1', text: '更正：发言中的数字应为三成。' });
await run(by('sec'), { type: 'minutes:acceptCorrection', section: 'speech:1' });
// A second secretary comes after the meeting to help finish the minutes (核稿).
await arrive('sec2', 'secretary', 'city');
await run(by('sec2'), { type: 'minutes:requestConfirmation', section: 'speech:3' });
await run(by('dept'), { type: 'minutes:proposeCorrection', section: 'speech:3', text: '更正：补贴比例以文件为准。' });
await run(by('sec2'), { type: 'minutes:rejectCorrection', section: 'speech:3' });
await run(by('sec'), { type: 'minutes:lock' });
await run(by('m1'), { type: 'minutes:publish', published: true });
await run(by('m1'), { type: 'recording:publish', published: true });
await run(by('sec'), { type: 'minutes:unlockNewVersion' });
await run(by('sec'), { type: 'minutes:edit', section: 'conclusions', text: '会议认为方案总体可行，建议分期实施。', baseVersion: 1 });

const state = await rooms.state(roomId);
if (state === undefined) throw new Error('the room was not recorded');
const events = await store.read(roomId);
const views: ReplayFixture['views'] = {};
for (const participantId of REPLAY_VIEWERS) {
  const participant = state.participants[participantId];
  if (participant === undefined) throw new Error(`${participantId} is not in the room`);
  const viewer = { participantId, role: participant.role };
  views[participantId] = { state: stateForViewer(state, viewer), events: events.map((event) => eventForViewer(event, viewer)) };
}
const fixture: ReplayFixture = { roomId, events, state, views };
await rooms.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
writeFileSync(REPLAY_FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`${fixture.events.length} events of ${new Set(fixture.events.map((e) => e.type)).size} kinds → ${path.relative(process.cwd(), REPLAY_FIXTURE)} (views checked for ${REPLAY_VIEWERS.join(', ')})`);
