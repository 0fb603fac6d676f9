/**
 * Helpers for tests of the exports: a real room log in a real SQLite store, and a way to
 * edit one part of a DOCX the way someone tampering with the file would.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { applyAll } from '../../signaling/room/apply.js';
import type { RoomEvent } from '../../signaling/room/events.js';
import { emptyRoom, type RoomState } from '../../signaling/room/state.js';
import type { TestRoom } from '../../signaling/room/testing.js';
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
