import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { minutesRecord, minutesSkeleton } from '../../signaling/record/skeleton.js';
import { fillMinutes, recordedMeeting } from '../../signaling/record/testing.js';
import type { Minutes } from '../../signaling/record/types.js';
import type { PollBreakdown } from '../../signaling/room/state.js';
import { createLogger } from '../log.js';
import { RoomService } from '../rooms/RoomService.js';
import { startRedis } from '../../test/helpers/redisServer.js';
import { RedisEventStore } from '../store/RedisEventStore.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { contentHash } from '../store/recordHash.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import { storedRoom, rewriteZipEntry } from './testing.js';
import { BallotBox } from '../rooms/BallotBox.js';

/** The verifier as `npm run verify` runs it, on the Node running the tests. */
const VERIFY = ['--import', 'tsx', 'scripts/verify-minutes.ts'];
import { docxText, verifyExport, type Verification } from './verify.js';

const ROOM = 'test-room';
const { dataDir, state } = await storedRoom(recordedMeeting());
const minutes = minutesSkeleton(state);

async function verify(file: Buffer, dir = dataDir, roomId = ROOM): Promise<Verification> {
  const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
  try {
    return await verifyExport(file, store, roomId);
  } finally {
    await store.close();
  }
}

const renderers: Record<string, (m: Minutes) => Promise<Buffer>> = {
  markdown: async (m) => Buffer.from(minutesToMarkdown(m)),
  html: async (m) => Buffer.from(minutesToHtml(m)),
  docx: minutesToDocx,
};

/** Changes one character of the visible text: 张伟 → 张玮 in the first speech. */
function editOneCharacter(format: string, file: Buffer): Buffer {
  const edit = (s: string): string => s.replace('张伟（主会场', '张玮（主会场');
  if (format === 'docx') return rewriteZipEntry(file, 'word/document.xml', (xml) => Buffer.from(edit(xml.toString('utf8'))));
  return Buffer.from(edit(file.toString('utf8')));
}

describe('verifyExport()', () => {
  test('the record is drawn from the real hash chain', () => {
    expect(minutes.chainHead).toMatch(/^[0-9a-f]{64}$/);
    expect(minutes.seq).toBeGreaterThan(30);
  });

  for (const [format, render] of Object.entries(renderers)) {
    test(`verifyExport() accepts an untouched ${format} export`, async () => {
      const file = await render(minutes);
      expect(await verify(file)).toMatchObject({ ok: true, format, minutes: { seq: minutes.seq } });
    });

    test(`verifyExport() rejects a ${format} export with one character of visible text changed`, async () => {
      const file = editOneCharacter(format, await render(minutes));
      const result = await verify(file);
      expect(result).toMatchObject({ ok: false });
      expect(result.ok ? '' : result.reason).toMatch(/text differs from its record/);
    });
  }

  test('verifyExport() rejects an export whose embedded record was edited to match a changed text', async () => {
    const forged = { ...minutes, topic: '老旧小区加装扶梯' };
    const md = minutesToMarkdown(forged).replace(/sha256=[0-9a-f]{64}/, `sha256=${'0'.repeat(64)}`);
    expect(await verify(Buffer.from(md))).toMatchObject({ ok: false, reason: expect.stringMatching(/SHA-256/) });
  });

  test('verifyExport() rejects a consistent export whose chain head is not in the log', async () => {
    const forged = minutesToMarkdown({ ...minutes, chainHead: 'f'.repeat(64) });
    expect(await verify(Buffer.from(forged))).toMatchObject({ ok: false, reason: expect.stringMatching(/not the minutes' chain head/) });
  });

  test('verifyExport() rejects an export when an event of the log was altered', async () => {
    const altered = await storedRoom(recordedMeeting());
    const db = new Database(path.join(altered.dataDir, 'rooms.sqlite'));
    try {
      const changed = db.prepare("UPDATE events SET data = replace(data, '分摊', '平摊') WHERE room_id = ? AND type = 'queue.handRaised'").run(ROOM);
      expect(changed.changes).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const result = await verify(Buffer.from(minutesToMarkdown(minutes)), altered.dataDir);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/hash chain .* is broken at seq \d+/) });
  });

  test('verifyExport() rejects an export checked against another room', async () => {
    expect(await verify(Buffer.from(minutesToMarkdown(minutes)), dataDir, 'other-room')).toMatchObject({ ok: false, reason: expect.stringMatching(/not other-room/) });
  });

  test('verifyExport() rejects a file without an embedded record', async () => {
    expect(await verify(Buffer.from('# 会议纪要\n'))).toMatchObject({ ok: false, reason: expect.stringMatching(/no embedded minutes record/) });
  });

  test('scripts/verify-minutes.ts exits 0 with "verified" on an export and 1 with the reason on an edited one', async () => {
    const run = promisify(execFile);
    const good = path.join(dataDir, 'minutes.docx');
    const bad = path.join(dataDir, 'edited.md');
    writeFileSync(good, await minutesToDocx(minutes));
    writeFileSync(bad, editOneCharacter('markdown', Buffer.from(minutesToMarkdown(minutes))));
    const ok = await run(process.execPath, [...VERIFY, good, dataDir, ROOM]);
    expect(ok.stdout).toMatch(/^verified/);
    const failed = await run(process.execPath, [...VERIFY, bad, dataDir, ROOM]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/not verified: the markdown text differs/) });
  }, 60_000);

  test('scripts/verify-minutes.ts reads the log from Redis when given its URL', async () => {
    const redis = await startRedis();
    try {
      // The same room's log, copied into Redis as several processes would have written it.
      const sqlite = SqliteEventStore.open(path.join(dataDir, 'rooms.sqlite'));
      const shared = await RedisEventStore.connect(redis.url, { keyPrefix: 'verify:' });
      const events = await sqlite.read(ROOM);
      expect(await shared.append(ROOM, 0, events)).toEqual({ ok: true });
      await sqlite.close();
      await shared.close();
      const file = path.join(dataDir, 'from-redis.html');
      writeFileSync(file, minutesToHtml(minutes));
      const run = promisify(execFile);
      const ok = await run(process.execPath, [...VERIFY, file, redis.url, ROOM], { env: { ...process.env, REDIS_PREFIX: 'verify:' } });
      expect(ok.stdout).toMatch(/^verified \(html, room /);
      const elsewhere = await run(process.execPath, [...VERIFY, file, redis.url, ROOM], { env: { ...process.env, REDIS_PREFIX: 'nothing-here:' } }).then(
        () => ({ code: 0 }),
        (error: { code?: number }) => ({ code: error.code }),
      );
      expect(elsewhere).toEqual({ code: 1 });
    } finally {
      await redis.destroy();
    }
  }, 60_000);
});

describe('verifyExport() of written and locked minutes', () => {
  /** A filled, ended meeting in a real store, locked through the real RoomService (which hashes the content). */
  async function lockedRoom(): Promise<{ dir: string; locked: Minutes; draft: Minutes; current: Minutes }> {
    const { dataDir: dir } = await storedRoom(fillMinutes(recordedMeeting()));
    const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
    const rooms = new RoomService({ store, logger: createLogger('silent'), ballotBox: new BallotBox('test-ballot-secret-of-32-characters') });
    try {
      const before = await rooms.state(ROOM);
      if (!before) throw new Error('the stored room did not load');
      const draft = minutesSkeleton(before);
      const { events } = await rooms.execute(ROOM, { type: 'minutes:lock' }, { kind: 'participant', id: 'sec' });
      expect(events[0]).toMatchObject({ type: 'minutes.locked', data: { chainSeq: draft.seq, contentHash: contentHash(draft) } });
      // Life goes on after the lock: someone leaves, a new version is drafted.
      await rooms.execute(ROOM, { type: 'system:leave', participantId: 'm1' }, { kind: 'system' });
      await rooms.execute(ROOM, { type: 'minutes:unlockNewVersion' }, { kind: 'participant', id: 'sec' });
      await rooms.execute(ROOM, { type: 'minutes:edit', section: 'conclusions', text: '第二版', baseVersion: 1 }, { kind: 'participant', id: 'sec' });
      const after = await rooms.state(ROOM);
      const locked = after && minutesRecord(after, 1);
      const current = after && minutesRecord(after);
      if (!locked || !current) throw new Error('a version is gone');
      return { dir, locked, draft, current };
    } finally {
      await rooms.close();
      await store.close();
    }
  }
  const setup = lockedRoom();

  for (const [format, render] of Object.entries(renderers)) {
    test(`a locked version exported as ${format} verifies, its footer carrying the hash its lock recorded`, async () => {
      const { dir, locked, draft } = await setup;
      expect(locked).toMatchObject({ version: 1, lockedAt: expect.any(Number), seq: draft.seq, chainHead: draft.chainHead });
      const file = await render(locked);
      expect(await verify(file, dir)).toMatchObject({ ok: true, format, minutes: { version: 1 } });
      const text = format === 'docx' ? docxText(file) : file.toString('utf8');
      expect(text).toContain(`第1版 · 已锁定（`);
      expect(text).toContain(`内容 SHA-256：${contentHash(draft)}`);
    });
  }

  test('a locked export with one character of a passage changed fails', async () => {
    const { dir, locked } = await setup;
    const word = locked.conclusions.slice(0, 4);
    const file = Buffer.from(minutesToMarkdown(locked).replace(word, `${word.slice(0, 3)}X`));
    expect(await verify(file, dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/text differs from its record/) });
  });

  test('a consistent export of other content with a real chain head fails: the log does not give that record', async () => {
    const { dir, draft } = await setup;
    const forged = minutesToMarkdown({ ...draft, conclusions: `${draft.conclusions}另:同意全部方案。` });
    expect(await verify(Buffer.from(forged), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/not what the log up to seq \d+ gives/) });
  });

  test('a locked record with another lock time, or a draft claiming a lock, fails against the log', async () => {
    const { dir, locked, current } = await setup;
    const lockedAt = (locked.lockedAt ?? 0) + 60_000;
    expect(await verify(Buffer.from(minutesToMarkdown({ ...locked, lockedAt })), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/was locked at/) });
    expect(current).toMatchObject({ version: 2, lockedAt: null, conclusions: '第二版' });
    expect(await verify(Buffer.from(minutesToMarkdown(current)), dir)).toMatchObject({ ok: true });
    expect(await verify(Buffer.from(minutesToMarkdown({ ...current, lockedAt })), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/no lock of version 2/) });
  });
});

describe('verifyExport() and the results by venue and sector', () => {
  /** The recorded meeting with one poll's closing result rewritten, the chain then rebuilt over it. */
  async function tamperedExport(pollId: string, rewrite: (b: PollBreakdown) => PollBreakdown): Promise<{ file: Buffer; dir: string }> {
    const room = recordedMeeting();
    const at = room.log.findIndex((e) => e.type === 'poll.closed' && e.data.pollId === pollId);
    const closed = room.log[at];
    if (closed?.type !== 'poll.closed' || !closed.data.result?.breakdown) throw new Error(`no breakdown closing ${pollId}`);
    room.log[at] = { ...closed, data: { ...closed.data, result: { ...closed.data.result, breakdown: rewrite(closed.data.result.breakdown) } } };
    const { dataDir, state } = await storedRoom(room);
    return { file: Buffer.from(minutesToMarkdown(minutesSkeleton(state))), dir: dataDir };
  }

  test('an export whose log gives a named poll other counts by venue than its named ballots fails', async () => {
    const { file, dir } = await tamperedExport('poll-1', (b) => ({
      ...b,
      byVenue: { ...b.byVenue, groups: b.byVenue.groups.map((g) => (g.group === 'd1' ? { ...g, counts: [1, 0, 0] } : g)) },
    }));
    expect(await verify(file, dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/not what its named ballots give/) });
  });

  test('an export whose log shows a secret poll\'s venue of one voter fails, however consistent the counts', async () => {
    // Three secret voters: nothing may be shown. A server that showed city (m1 alone) would name m1's ballot.
    const { file, dir } = await tamperedExport('poll-2', (b) => ({
      ...b,
      byVenue: { groups: [{ group: 'city', voters: 1, counts: [0, 1, 0] }], other: { voters: 2, counts: [1, 1, 0] } },
    }));
    expect(await verify(file, dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/venues shown \(city\) are not those the rule allows \(none\)/) });
  });

  test('the untouched recorded meeting carries both breakdowns and verifies', async () => {
    expect(minutes.polls.map((p) => p.breakdown?.minGroup)).toEqual([null, 5]);
    expect(minutes.polls[1]?.breakdown?.byVenue).toEqual({ groups: [], other: { voters: 3, counts: [1, 2, 0] } });
    expect(await verify(Buffer.from(minutesToMarkdown(minutes)))).toMatchObject({ ok: true });
  });
});
