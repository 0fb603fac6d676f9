/**
 * Helpers for tests of the exports: a real room log in a real SQLite store, a meeting recorded
 * on video, and a way to edit one part of a DOCX the way someone tampering with the file would.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { applyAll } from '../../signaling/room/apply.js';
import type { RoomEvent } from '../../signaling/room/events.js';
import { emptyRoom, type RecordingSummary, type RoomState } from '../../signaling/room/state.js';
import { fullRoom, type TestRoom } from '../../signaling/room/testing.js';
import { hashEvent } from '../store/hashChain.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { readZipEntry, zipEntries } from './zip.js';

/** A TestRoom's log hash-chained the way RoomService numbers events (TestRoom uses fake hashes). */
export function chained(room: TestRoom): { events: RoomEvent[]; state: RoomState } {
  let prev = '';
  const events = room.log.map((e) => {
    const event = { ...e, hash: hashEvent(prev, e) };
    prev = event.hash;
    return event;
  });
  return { events, state: applyAll(emptyRoom(room.state.id), events) };
}

/** Writes the chained log of `room` to `<new temp dir>/rooms.sqlite`; returns the dir and state. */
export async function storedRoom(room: TestRoom): Promise<{ dataDir: string; state: RoomState }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wsl-minutes-'));
  const { events, state } = chained(room);
  const store = SqliteEventStore.open(path.join(dataDir, 'rooms.sqlite'));
  try {
    const appended = await store.append(state.id, 0, events);
    if (!appended.ok) throw new Error(`could not store the test log: ${appended.reason}`);
  } finally {
    await store.close();
  }
  return { dataDir, state };
}

/** A copy of `zip` with entry `name` replaced by `f(its content)`, all entries stored uncompressed. */
export function rewriteZipEntry(zip: Buffer, name: string, f: (content: Buffer) => Buffer): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of zipEntries(zip)) {
    const original = readZipEntry(zip, entry);
    if (!original) throw new Error(`zip entry ${entry} vanished`);
    const data = entry === name ? f(original) : original;
    const fileName = Buffer.from(entry, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The bytes of the recorded meeting's two parts (stand-ins for the recorder's MP4 files). */
export const RECORDED_FILES = [Buffer.alloc(300_000, 'part one '), Buffer.alloc(120_000, 'part two ')] as const;

/**
 * A meeting recorded on video and ended (not locked): m1 speaks before the recording starts,
 * m2 30 s into part-1, and v1 20 s into part-2, which a restarted recorder began. `summary` is
 * what the server reads of RECORDED_FILES when the minutes are locked.
 */
export function recordedOnVideo(): { room: TestRoom; summary: RecordingSummary } {
  const room = fullRoom();
  const speak = (who: string, ms: number): void => {
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: who } }, 'host');
    room.advance(ms);
    room.ok({ type: 'floor:revoke' }, 'host');
  };
  const system = { kind: 'system' } as const;
  speak('m1', 40_000);
  room.advance(5_000);
  room.ok({ type: 'recording:start' }, 'host');
  const first = room.now;
  room.ok({ type: 'system:recordingPart', name: 'part-1', startedAt: first }, system);
  room.advance(30_000);
  speak('m2', 60_000);
  room.advance(10_000);
  const second = room.now;
  room.ok({ type: 'system:recordingPart', name: 'part-2', startedAt: second }, system);
  room.advance(3_620_000);
  speak('v1', 50_000);
  room.ok({ type: 'room:end' }, 'host');
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  const [one, two] = RECORDED_FILES;
  const summary: RecordingSummary = {
    parts: [
      { name: 'part-1', startedAt: first, durationMs: second - first, bytes: one.length, sha256: sha256(one) },
      { name: 'part-2', startedAt: second, durationMs: room.now - second, bytes: two.length, sha256: sha256(two) },
    ],
  };
  return { room, summary };
}
