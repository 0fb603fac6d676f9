import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/minutes/skeleton.js';
import { recordedMeeting } from '../../signaling/minutes/testing.js';
import type { Minutes } from '../../signaling/minutes/types.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import { storedRoom, rewriteZipEntry } from './testing.js';
import { verifyExport, type Verification } from './verify.js';

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
  const edit = (s: string): string => s.replace('张伟(主会场', '张玮(主会场');
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
    const cli = ['tsx', 'scripts/verify-minutes.ts'];
    const ok = await run('npx', [...cli, good, dataDir, ROOM]);
    expect(ok.stdout).toMatch(/^verified/);
    const failed = await run('npx', [...cli, bad, dataDir, ROOM]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringMatching(/not verified: the markdown text differs/) });
  }, 60_000);
});
