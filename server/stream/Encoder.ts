/**
 * ffmpeg encoding one room's program (the live stream's HLS segments, or the recording's file),
 * kept running — restarted with a growing delay when it cannot start, dies or stops writing —
 * until closed. What it writes is the job's (EncoderJob); the running, watching and restarting
 * are here, the same for both. Nothing here touches the meeting: a failing encoder costs its
 * stream or recording, never the room.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { ProgramTap } from '../media/AudienceMedia.js';
import { encoderCommand } from './encoderCommand.js';
import { freeRtpPorts } from './rtpPorts.js';
import { programSdp } from './sdp.js';
import { slateFrame } from './slate.js';
import { StreamTap } from './StreamTap.js';

/** starting: nothing written yet; live: ffmpeg writes; failing: it could not, and restarts. */
export type StreamState = 'starting' | 'live' | 'failing';

/** What an encoder is doing, for /healthz, metrics and the host. */
export type StreamStatus = { state: StreamState; restarts: number; error: string | null };

/** What a set of encoders (LiveStreams, Recorders) tells /healthz and the metrics. */
export type EncodersHealth = { running: number; live: number; failing: number; restarts: number; lastError: string | null };

/** The health of encoders in `statuses`, with the restarts of those already stopped and the last error seen. */
export function encodersHealth(statuses: readonly StreamStatus[], pastRestarts: number, lastError: string | null): EncodersHealth {
  return {
    running: statuses.length,
    live: statuses.filter((s) => s.state === 'live').length,
    failing: statuses.filter((s) => s.state === 'failing').length,
    restarts: pastRestarts + statuses.reduce((sum, s) => sum + s.restarts, 0),
    lastError,
  };
}

/** One run of ffmpeg as its job plans it. */
export type EncoderRun = {
  /** ffmpeg's arguments, reading the program's SDP from `sdpFile`. */
  args(sdpFile: string): string[];
  /** The directory ffmpeg writes into (watched). */
  dir: string;
  /** Whether a write to this file of `dir` shows ffmpeg at work (the playlist; the recording's file). */
  isProgress(fileName: string): boolean;
  /** Each line ffmpeg writes to stderr. */
  onLine?(line: string): void;
};

/** What an encoder writes. */
export type EncoderJob = {
  /** Readies a run; `run` names it, unique to it (lowercase letters and digits). */
  prepare(run: string): Promise<EncoderRun>;
  /** After the last run, when the encoder is closed. */
  finish(): Promise<void>;
};

/** Until ffmpeg first writes, the video is asked for a key frame this often. */
const KEY_FRAME_UNTIL_LIVE_MS = 1000;
/** A live encoder that writes nothing for this long is restarted (with the slate there is always a picture). */
const STALL_MS = 15_000;
/** Restart delays: from the first to the last, doubling; a run live this long starts over. */
const BACKOFF = { firstMs: 1000, maxMs: 30_000, resetAfterMs: 30_000 } as const;

/** What an encoder needs. */
export type EncoderDeps = {
  job: EncoderJob;
  ffmpegPath: string;
  openTap: () => Promise<ProgramTap>;
  logger: Logger;
};

/** One room's encoder. */
export class Encoder extends EventEmitter<{ status: [StreamStatus] }> {
  readonly #deps: EncoderDeps;
  #status: StreamStatus = { state: 'starting', restarts: 0, error: null };
  #closed = false;
  /** Ends the running attempt (kills ffmpeg); set while one runs. */
  #stop: (() => void) | null = null;
  #wake: (() => void) | null = null;
  #child: ChildProcess | null = null;
  readonly #done: Promise<void>;

  constructor(deps: EncoderDeps) {
    super();
    this.#deps = deps;
    this.#done = this.#run();
  }

  /** Resolves once closed and done: ffmpeg has exited (its files closed) and the job finished. */
  stopped(): Promise<void> {
    return this.#done;
  }

  get status(): StreamStatus {
    return this.#status;
  }

  /** ffmpeg's process id while it runs (for CPU figures). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * True once ffmpeg writes; false if it is not within `withinMs`, or the encoder
   * failed again after a restart (a caller is told at once rather than kept waiting for the
   * next one), or it closes. A first failure may be passing (a port taken meanwhile): the wait
   * goes on through its restart.
   */
  async live(withinMs: number): Promise<boolean> {
    if (this.#status.state === 'live') return true;
    if (this.#closed || this.#repeatedlyFailing()) return false;
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.off('status', onStatus);
        resolve(ok);
      };
      const onStatus = (status: StreamStatus): void => {
        if (status.state === 'live' || this.#closed || this.#repeatedlyFailing()) done(status.state === 'live' && !this.#closed);
      };
      const timer = setTimeout(() => done(false), withinMs);
      this.on('status', onStatus);
    });
  }

  /** Stops ffmpeg and the tap for good; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop?.();
    this.#wake?.();
    this.emit('status', this.#status);
  }

  async #run(): Promise<void> {
    let delayMs: number = BACKOFF.firstMs;
    while (!this.#closed) {
      const run: { liveAt: number | null } = { liveAt: null };
      try {
        await this.#attempt(() => (run.liveAt = performance.now()));
        if (this.#closed) break;
        throw new Error('ffmpeg stopped');
      } catch (error) {
        if (this.#closed) break;
        const message = error instanceof Error ? error.message : String(error);
        this.#deps.logger.warn(`ffmpeg failed; restarting in ${delayMs / 1000} s`, { error: message });
        this.#setStatus({ state: 'failing', restarts: this.#status.restarts + 1, error: message });
      }
      if (run.liveAt !== null && performance.now() - run.liveAt > BACKOFF.resetAfterMs) delayMs = BACKOFF.firstMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
      delayMs = Math.min(delayMs * 2, BACKOFF.maxMs);
    }
    await this.#deps.job.finish().catch((error: unknown) => this.#deps.logger.warn('the encoder could not finish its files', error));
  }

  /** One run of ffmpeg: resolves when closed, rejects with why it ended otherwise. */
  async #attempt(onLive: () => void): Promise<void> {
    const runName = Date.now().toString(36);
    const plan = await this.#deps.job.prepare(runName);
    const slate = await slateFrame(this.#deps.ffmpegPath);
    const [video, floorAudio, chairAudio] = await freeRtpPorts(3);
    const tap = await this.#deps.openTap();
    let streamTap: StreamTap;
    try {
      streamTap = await StreamTap.open(tap, { video: video!, floorAudio: floorAudio!, chairAudio: chairAudio! }, slate);
    } catch (error) {
      tap.release();
      throw error;
    }
    if (this.#closed) {
      streamTap.close();
      return;
    }
    // The SDP is ffmpeg's input, not part of what it writes: it lives beside, not in, the output.
    const sdpDir = await mkdtemp(path.join(tmpdir(), 'wsl-sdp-'));
    const sdpFile = path.join(sdpDir, 'program.sdp');
    await writeFile(sdpFile, programSdp(streamTap.sdpStreams));
    const child = spawn(...encoderCommand(this.#deps.ffmpegPath, plan.args(sdpFile)), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    const stderr = lastLines(child, 8, plan.onLine);
    let watcher: FSWatcher | undefined;
    let lastWriteAt = performance.now();
    const timers: NodeJS.Timeout[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (message: string): void => reject(new Error(message));
        this.#stop = resolve;
        // Closed while this attempt was getting ready (ports, tap, SDP): end it at once.
        if (this.#closed) resolve();
        child.once('error', (error) => fail(`ffmpeg could not start (${this.#deps.ffmpegPath}): ${error.message}`));
        child.once('exit', (code, signal) => fail(`ffmpeg exited (${code ?? signal})${stderr().length ? `: ${stderr().at(-1)}` : ''}`));
        streamTap.onClose(() => fail('the program left the audience router'));
        watcher = watch(plan.dir, (_event, name) => {
          if (name === null || !plan.isProgress(name)) return;
          lastWriteAt = performance.now();
          if (this.#status.state !== 'live') {
            onLive();
            this.#setStatus({ state: 'live', restarts: this.#status.restarts, error: null });
          }
        });
        watcher.on('error', (error) => fail(`the encoder's directory cannot be watched: ${error.message}`));
        // NOTE: ffmpeg binds its ports a moment after it starts, and its decoder begins only at a
        // key frame; one asked for before it listens is lost, so ask until segments come.
        streamTap.requestKeyFrame();
        timers.push(
          setInterval(() => {
            if (this.#status.state !== 'live') streamTap.requestKeyFrame();
          }, KEY_FRAME_UNTIL_LIVE_MS),
        );
        timers.push(
          setInterval(() => {
            if (performance.now() - lastWriteAt > STALL_MS) fail(`ffmpeg wrote nothing for ${STALL_MS / 1000} s`);
          }, STALL_MS / 5),
        );
      });
    } finally {
      this.#stop = null;
      this.#child = null;
      for (const timer of timers) clearInterval(timer);
      watcher?.close();
      // NOTE: ffmpeg first, while the program still flows: it ends cleanly (its trailer, the
      // recording's last second) at the next packet it reads; stopped with its input gone quiet,
      // it needs a second signal, which also fails its last writes.
      await stopProcess(child);
      streamTap.close();
      await rm(sdpDir, { recursive: true, force: true });
    }
  }

  #repeatedlyFailing(): boolean {
    return this.#status.state === 'failing' && this.#status.restarts >= 2;
  }

  #setStatus(status: StreamStatus): void {
    this.#status = status;
    this.emit('status', status);
  }
}

/** The last `count` lines ffmpeg wrote to stderr (its reason when it exits); each line also goes to `onLine`. */
function lastLines(child: ChildProcess, count: number, onLine?: (line: string) => void): () => string[] {
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      lines.push(line.trim());
      onLine?.(line);
    }
    lines.splice(0, Math.max(0, lines.length - count));
  });
  return () => lines;
}

/**
 * Ends ffmpeg: SIGTERM, which it acts on at the next packet it reads, closing its files whole;
 * if its input has gone quiet (the program's router died), a second SIGTERM after 2 s
 * interrupts the read (and its remaining writes); SIGKILL after 4 s.
 */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const again = setTimeout(() => child.kill('SIGTERM'), 2000);
  const timer = setTimeout(() => child.kill('SIGKILL'), 4000);
  await exited;
  clearTimeout(again);
  clearTimeout(timer);
}
