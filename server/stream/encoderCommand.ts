/**
 * How an encoder's ffmpeg is started so that it never outlives the server that started it.
 *
 * A server killed with -9 (or crashing) used to leave its ffmpeg running: it went on writing
 * into the recordings' directory, which the processes of a cluster share, until its input
 * timed out (~25 s), while another process had already begun the next part. Where util-linux's
 * setpriv is (Debian always has it), ffmpeg is exec'd through it with a parent-death signal.
 *
 * SIGKILL, not SIGTERM: ffmpeg acts on SIGTERM only at the next packet it reads, and with its
 * server gone no packet comes. A fragmented file killed loses only the fragment not yet written
 * (under a second, see recordingArgs).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Where Debian's util-linux puts setpriv. */
export const SETPRIV = '/usr/bin/setpriv';

/** `command`'s file if it names an executable (a path, or a name found on `searchPath`); else null. */
export function executableFile(command: string, searchPath: string | undefined = process.env['PATH']): string | null {
  const candidates = command.includes('/') ? [command] : (searchPath ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return path.resolve(file);
    } catch {
      // not here
    }
  }
  return null;
}

/** setpriv on this machine, once. */
const SETPRIV_FILE = process.platform === 'linux' ? executableFile(SETPRIV) : null;

/**
 * The command and arguments that run `ffmpegPath` with `args`, dying with this process. An
 * ffmpeg that is not there is spawned as given, so that spawning fails as before (ENOENT, said
 * to the host and /healthz); without setpriv (not Linux) it runs as given too.
 */
export function encoderCommand(ffmpegPath: string, args: readonly string[], setpriv: string | null = SETPRIV_FILE): [string, string[]] {
  const ffmpeg = executableFile(ffmpegPath);
  if (setpriv === null || ffmpeg === null) return [ffmpegPath, [...args]];
  return [setpriv, ['--pdeathsig', 'KILL', '--', ffmpeg, ...args]];
}
