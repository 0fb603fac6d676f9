import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { encoderCommand, executableFile } from './encoderCommand.js';

/** A directory holding `tool` (executable) and `notes` (not executable). */
function toolDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsl-encoder-command-'));
  writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'tool'), 0o755);
  writeFileSync(path.join(dir, 'notes'), 'text');
  chmodSync(path.join(dir, 'notes'), 0o644);
  return dir;
}

describe('executableFile', () => {
  test('a name is looked up on the search path; a path is taken as it is; only executables count', () => {
    const dir = toolDir();
    expect(executableFile('tool', ['/nonexistent', dir].join(path.delimiter))).toBe(path.join(dir, 'tool'));
    expect(executableFile(path.join(dir, 'tool'), '')).toBe(path.join(dir, 'tool'));
    expect(executableFile('notes', dir)).toBeNull();
    expect(executableFile('missing', dir)).toBeNull();
    expect(executableFile('tool', undefined)).toBeNull();
  });
});

describe('encoderCommand', () => {
  const args = ['-i', 'program.sdp', 'out.mp4'];

  test('ffmpeg runs under setpriv with SIGKILL as its parent-death signal, by its full path', () => {
    const ffmpeg = path.join(toolDir(), 'tool');
    expect(encoderCommand(ffmpeg, args, '/usr/bin/setpriv')).toEqual(['/usr/bin/setpriv', ['--pdeathsig', 'KILL', '--', ffmpeg, ...args]]);
  });

  test('an ffmpeg that is not there, or no setpriv: run as given, so that spawning says what is missing', () => {
    expect(encoderCommand('/nonexistent/ffmpeg', args, '/usr/bin/setpriv')).toEqual(['/nonexistent/ffmpeg', args]);
    const ffmpeg = path.join(toolDir(), 'tool');
    expect(encoderCommand(ffmpeg, args, null)).toEqual([ffmpeg, args]);
  });
});
