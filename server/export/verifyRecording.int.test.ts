import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { atOffset, recordingFilePath } from '../../signaling/http/recording.js';
import { minutesRecord, minutesSkeleton } from '../../signaling/record/skeleton.js';
import type { Minutes } from '../../signaling/record/types.js';
import { createLogger } from '../log.js';
import { BallotBox } from '../rooms/BallotBox.js';
import { RoomService } from '../rooms/RoomService.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { minutesToDocx } from './docx.js';
import { minutesToHtml } from './html.js';
import { minutesToMarkdown } from './markdown.js';
import type { RenderOptions } from './recordingSection.js';
import { RECORDED_FILES, recordedOnVideo, rewriteZipEntry, storedRoom } from './testing.js';
import { recordingFilePart, verifyExport, type Verification } from './verify.js';

const ROOM = 'test-room';
const VERIFY = ['--import', 'tsx', 'scripts/verify-minutes.ts'];

/** The recorded meeting in a real store, its minutes locked through the real RoomService reading the recording's files. */
async function lockedRecording(): Promise<{ dir: string; locked: Minutes; draft: Minutes }> {
  const { room, summary } = recordedOnVideo();
  const { dataDir: dir, state } = await storedRoom(room);
  const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
  const rooms = new RoomService({
    store,
    logger: createLogger('silent'),
    ballotBox: new BallotBox('test-ballot-secret-of-32-characters'),
    recordings: { read: async () => summary },
  });
  try {
    await rooms.execute(ROOM, { type: 'minutes:lock' }, { kind: 'participant', id: 'sec' });
    const after = await rooms.state(ROOM);
    const locked = after && minutesRecord(after, 1);
    if (!locked) throw new Error('the lock made no version 1');
    return { dir, locked, draft: minutesSkeleton(state) };
  } finally {
    await rooms.close();
    await store.close();
  }
}
const setup = lockedRecording();

async function verify(file: Buffer, dir: string): Promise<Verification> {
  const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
  try {
    return await verifyExport(file, store, ROOM);
  } finally {
    await store.close();
  }
}

/** Links as the minutes route makes them: this server's address, a key per part. */
function linksOf(m: Minutes, origin: string, key: (part: string) => string | undefined): RenderOptions {
  return {
    recordingUrl: (partIndex, offsetMs) => {
      const part = m.recording?.parts[partIndex];
      return part && atOffset(`${origin}${recordingFilePath(m.roomId, part.name, key(part.name))}`, offsetMs);
    },
  };
}

const renderers: Record<string, (m: Minutes, options?: RenderOptions) => Promise<Buffer>> = {
  markdown: async (m, o) => Buffer.from(minutesToMarkdown(m, o)),
  html: async (m, o) => Buffer.from(minutesToHtml(m, o)),
  docx: (m, o) => minutesToDocx(m, o),
};

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('verifyExport() of a recorded meeting', () => {
  for (const [format, render] of Object.entries(renderers)) {
    test(`a locked ${format} export verifies with or without links, whoever's server and key they carry`, async () => {
      const { dir, locked } = await setup;
      expect(locked.recording?.parts).toHaveLength(2);
      expect(await verify(await render(locked), dir)).toMatchObject({ ok: true, format });
      const staff = linksOf(locked, 'https://wsl.example.org', (part) => `1900000000.${part}-key`);
      expect(await verify(await render(locked, staff), dir)).toMatchObject({ ok: true, format });
      const published = linksOf(locked, 'http://10.0.0.5:8080', () => undefined);
      expect(await verify(await render(locked, published), dir)).toMatchObject({ ok: true, format });
    });
  }

  test('a link moved to another part or another second fails: where a link leads is the record’s', async () => {
    const { dir, locked } = await setup;
    const md = minutesToMarkdown(locked, linksOf(locked, 'https://wsl.example.org', () => 'k'));
    const otherPart = md.replace('part-1.mp4?key=k#t=30>', 'part-2.mp4?key=k#t=30>');
    expect(otherPart).not.toBe(md);
    expect(await verify(Buffer.from(otherPart), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/markdown text differs from its record/) });
    const html = minutesToHtml(locked, linksOf(locked, 'https://wsl.example.org', () => undefined));
    const otherSecond = html.replace('part-1.mp4#t=30"', 'part-1.mp4#t=31"');
    expect(otherSecond).not.toBe(html);
    expect(await verify(Buffer.from(otherSecond), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/html text differs from its record/) });
  });

  test('a DOCX whose links were pointed at another file or another second fails, though its text is untouched', async () => {
    const { dir, locked } = await setup;
    const docx = await minutesToDocx(locked, linksOf(locked, 'https://wsl.example.org', () => 'k'));
    const utf8 = (f: (s: string) => string) => (b: Buffer): Buffer => Buffer.from(f(b.toString('utf8')));
    const otherFile = rewriteZipEntry(docx, 'word/_rels/document.xml.rels', utf8((s) => s.replaceAll('part-1.mp4', 'part-2.mp4')));
    expect(await verify(otherFile, dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/links are not its record's/) });
    const otherSecond = rewriteZipEntry(docx, 'word/document.xml', utf8((s) => s.replace('w:anchor="t=30"', 'w:anchor="t=31"')));
    expect(await verify(otherSecond, dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/links are not its record's/) });
    // Untouched, through the same rewriting: it still verifies.
    expect(await verify(rewriteZipEntry(docx, 'word/document.xml', (b) => b), dir)).toMatchObject({ ok: true });
  });

  test('an export whose 录像 section was edited, text and embedded record alike, fails against the log', async () => {
    const { dir, locked } = await setup;
    const [first, ...rest] = locked.recording?.parts ?? [];
    if (!first) throw new Error('no part');
    const forged: Minutes = { ...locked, recording: { parts: [{ ...first, sha256: sha256(Buffer.from('another file')) }, ...rest] } };
    for (const render of Object.values(renderers)) {
      // Self-consistent: the renderer writes the forged record's hash beside it.
      expect(await verify(await render(forged), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/not what the log up to seq \d+ gives/) });
    }
  });

  test('a draft that drops its 录像 section fails: the log knows the parts', async () => {
    const { dir, draft } = await setup;
    expect(await verify(Buffer.from(minutesToMarkdown(draft)), dir)).toMatchObject({ ok: true });
    const { recording: _dropped, ...withoutRecording } = draft;
    const forged: Minutes = { ...withoutRecording, speeches: draft.speeches.map(({ recordingAt: _at, ...s }) => s) };
    expect(await verify(Buffer.from(minutesToMarkdown(forged)), dir)).toMatchObject({ ok: false, reason: expect.stringMatching(/not what the log/) });
  });
});

describe('recordingFilePart()', () => {
  const [one, two] = RECORDED_FILES;

  test('a file whose size and SHA-256 are a part’s is that part', async () => {
    const { locked } = await setup;
    expect(recordingFilePart({ bytes: one.length, sha256: sha256(one) }, locked)).toEqual({ ok: true, partIndex: 0, name: 'part-1' });
    expect(recordingFilePart({ bytes: two.length, sha256: sha256(two).toUpperCase() }, locked)).toEqual({ ok: true, partIndex: 1, name: 'part-2' });
  });

  test('a file with one byte changed is refused, naming the part it would be', async () => {
    const { locked } = await setup;
    const altered = Buffer.from(one);
    altered[1000] = (altered[1000] ?? 0) ^ 1;
    const result = recordingFilePart({ bytes: altered.length, sha256: sha256(altered) }, locked);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/size of part 1 \(part-1: 300000 bytes, SHA-256 [0-9a-f]{64}\).*altered/) });
  });

  test('a file of no part’s size is refused, listing what the record expects', async () => {
    const { locked } = await setup;
    const result = recordingFilePart({ bytes: 5, sha256: sha256(Buffer.from('hello')) }, locked);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/no part of the locked record, which has part 1 \(part-1.*part 2 \(part-2/) });
  });

  test('a draft cannot vouch for a file: its files were not read yet', async () => {
    const { draft } = await setup;
    expect(recordingFilePart({ bytes: one.length, sha256: sha256(one) }, draft)).toMatchObject({ ok: false, reason: expect.stringMatching(/draft/) });
  });
});

describe('npm run verify -- … --recording <file>', () => {
  test('prints which part each file is, and exits 1 naming the file and the part when one was altered', async () => {
    const { dir, locked } = await setup;
    const exported = path.join(dir, 'locked.html');
    writeFileSync(exported, minutesToHtml(locked, linksOf(locked, 'https://wsl.example.org', () => 'k')));
    const [one, two] = RECORDED_FILES;
    const first = path.join(dir, 'first.mp4');
    const second = path.join(dir, 'second.mp4');
    const altered = path.join(dir, 'altered.mp4');
    writeFileSync(first, one);
    writeFileSync(second, two);
    const changed = Buffer.from(two);
    changed[0] = (changed[0] ?? 0) ^ 0xff;
    writeFileSync(altered, changed);
    const run = promisify(execFile);
    const ok = await run(process.execPath, [...VERIFY, exported, dir, ROOM, '--recording', second, '--recording', first]);
    expect(ok.stdout).toMatch(/^verified \(html/);
    expect(ok.stdout).toContain(`recording file ${second} is part 2 (part-2)`);
    expect(ok.stdout).toContain(`recording file ${first} is part 1 (part-1)`);
    const failed = await run(process.execPath, [...VERIFY, exported, dir, ROOM, '--recording', first, '--recording', altered]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`not verified: recording file ${altered}: it has the size of part 2 (part-2: 120000 bytes, SHA-256 ${sha256(two)})`);
  }, 60_000);
});
