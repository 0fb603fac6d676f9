/**
 * Vitest's global setup: the whole run keeps its temporary files (servers' data directories,
 * Redis and coturn directories, fetched segments, Chromium profiles) in one directory of its
 * own, removed when the run ends. Otherwise every run leaves a thousand directories in /tmp, and
 * a machine that runs the suite day after day fills up.
 *
 * Everything finds the directory through TMPDIR (os.tmpdir() reads it), which the test
 * processes and their children inherit from this one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsl-run-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
