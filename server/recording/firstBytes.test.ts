import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sizeOnceWritten } from './firstBytes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'first-bytes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the size of a part once its encoder has written something', () => {
  test('a file with bytes: its size at once', async () => {
    const file = path.join(dir, 'written.mp4');
    await writeFile(file, Buffer.alloc(24));
    expect(await sizeOnceWritten(file, 0)).toBe(24);
  });

  test('an empty file that the encoder then writes: the size once written, however long within the wait', async () => {
    const file = path.join(dir, 'later.mp4');
    await writeFile(file, '');
    const size = sizeOnceWritten(file, 60_000);
    let answered = false;
    void size.then(() => {
      answered = true;
    });
    // While the file stays empty it does not answer (two looks of our own later, it still waits).
    await stat(file);
    await stat(file);
    expect(answered).toBe(false);
    await appendFile(file, Buffer.alloc(32));
    expect(await size).toBe(32);
  });

  test('a file still empty when the wait is over: 0; no file: null', async () => {
    const file = path.join(dir, 'empty.mp4');
    await writeFile(file, '');
    expect(await sizeOnceWritten(file, 250)).toBe(0);
    expect(await sizeOnceWritten(path.join(dir, 'none.mp4'), 250)).toBeNull();
  });
});
