/**
 * Failover benchmark: server processes behind one Redis, a browser (Debian's Chromium, fake
 * camera and microphone, the real UI) on each, everybody sending and receiving video; each
 * round one process is killed with SIGKILL, and we measure how long until every browser
 * decodes video again (issue 20's goal: within 3 s).
 *
 * Each browser reaches its process through its own "public entry" (test/helpers/
 * failoverProxy.ts, as nginx with proxy_next_upstream): its own process first, then the
 * others. When that process dies, its browser's reconnect lands on a survivor, resumes as the
 * same participant and publishes again; the browsers on the survivors must drop the dead
 * process's piped tracks and receive the re-published ones. A round has a fresh room and fresh
 * pages; after the kill a new process takes the dead one's place, and the rounds kill the
 * processes in turn (so the older and the newer process both die).
 *
 * Printed per round: when a survivor's /healthz stopped listing the dead process (detection),
 * and per browser the time from the kill to the first decoded frame of the last of its
 * affected peers (those whose track went through the dead process, or all of them for a
 * browser that was on it), with its steps: the WebSocket closed and open again, room:join
 * answered, the receiving peer connection connected, the survivor page's stale tile gone.
 * Then the median and maximum over the rounds against the 3 s goal, and against the baseline
 * measured in the same run: each round's first join, from the click on 进入会议 to the first
 * decoded remote frame (failover / join says how many joins a failover costs).
 *
 * Run: npx tsx bench/failover.ts (after npm run setup, which builds the client).
 * Environment (optional): FAILOVER_ROUNDS (5), FAILOVER_PROCESSES (2), FAILOVER_BROWSERS (1 per
 * process), FAILOVER_BUDGET_S (600: the watchdog).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';
import { launchChromium, openPage } from '../test/helpers/browser.js';
import { startFailoverProxy, type FailoverProxy } from '../test/helpers/failoverProxy.js';
import { startRedis, type TestRedis } from '../test/helpers/redisServer.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { startWatchdog, times } from './lib/stats.js';

const NAME = 'failover';
const GOAL_MS = 3000;
/** A browser that has no video again after this long counts as failed. */
const GIVE_UP_MS = 30_000;
const Env = z.object({
  FAILOVER_ROUNDS: z.coerce.number().int().min(1).max(50).default(5),
  FAILOVER_PROCESSES: z.coerce.number().int().min(2).max(4).default(2),
  FAILOVER_BROWSERS: z.coerce.number().int().min(1).max(4).default(1),
  FAILOVER_BUDGET_S: z.coerce.number().min(60).max(3600).default(600),
});

/**
 * The page side, a string (a transpiler's helpers would not exist in the page); wall-clock
 * times (Date.now()), comparable with the kill's in this process on the same machine. It taps
 * the WebSocket (open, close, Socket.IO events sent and acks received), the peer connections
 * (connected) and, every 20 ms, each remote video: when each consumer's first frame was
 * decoded and when its element was last on the page.
 */
const TAP_SCRIPT = `
  (() => {
    const tap = { ws: [], sent: [], acks: [], pcs: [], frames: {}, seen: {} };
    Object.defineProperty(window, '__failover', { value: tap });
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args) {
        super(...args);
        const record = { created: Date.now(), open: null, closed: null };
        tap.ws.push(record);
        this.addEventListener('open', () => { record.open = Date.now(); });
        this.addEventListener('close', () => { record.closed = Date.now(); });
        this.addEventListener('message', (e) => {
          const ack = typeof e.data === 'string' ? /^43(\\d+)/.exec(e.data) : null;
          if (ack) tap.acks.push({ id: ack[1], t: Date.now() });
        });
      }
      send(data) {
        const event = typeof data === 'string' ? /^42(\\d*)\\["([^"]+)"/.exec(data) : null;
        if (event) tap.sent.push({ id: event[1], name: event[2], t: Date.now() });
        return super.send(data);
      }
    };
    const NativePeerConnection = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor(...args) {
        super(...args);
        const record = { created: Date.now(), connected: null, receives: false };
        tap.pcs.push(record);
        this.addEventListener('track', () => { record.receives = true; });
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected' && record.connected === null) record.connected = Date.now();
        });
      }
    };
    setInterval(() => {
      const now = Date.now();
      for (const v of document.querySelectorAll('video[data-testid="remote-video"]')) {
        const id = v.dataset.consumerId;
        if (!id) continue;
        tap.seen[id] = { peerId: v.dataset.peerId || '', at: now };
        if (tap.frames[id] === undefined && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0) {
          tap.frames[id] = { peerId: v.dataset.peerId || '', at: now };
        }
      }
    }, 20);
  })();
`;

type Tap = {
  ws: Array<{ created: number; open: number | null; closed: number | null }>;
  sent: Array<{ id: string; name: string; t: number }>;
  acks: Array<{ id: string; t: number }>;
  pcs: Array<{ created: number; connected: number | null; receives: boolean }>;
  frames: Record<string, { peerId: string; at: number }>;
  seen: Record<string, { peerId: string; at: number }>;
};

/** A browser page in the room, on one process (through its entry). */
type Member = {
  label: string;
  /** Index of the process it joined on. */
  on: number;
  page: Page;
  context: BrowserContext;
  proxy: FailoverProxy;
  /** Its own participant id, and the consumers it had before the kill. */
  id: string;
  before: Map<string, string>;
};

/** One browser's figures in one round. */
type Recovery = {
  label: string;
  onVictim: boolean;
  /** From the kill to the first decoded frame of the last affected peer (null: not within GIVE_UP_MS). */
  videoMs: number | null;
  steps: string;
};

type Round = { victim: string; detectionMs: number | null; joinMs: number; recoveries: Recovery[]; staleTiles: number };

async function healthOf(url: string): Promise<{ processId: string; processes: string[] } | null> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { cluster?: { processId?: string; processes?: Array<{ id: string }> } };
    return { processId: body.cluster?.processId ?? '', processes: (body.cluster?.processes ?? []).map((p) => p.id) };
  } catch {
    return null;
  }
}

/** Resolves with the time (Date.now()) a survivor's /healthz no longer lists `processId`, polled every 20 ms. */
async function detected(survivor: BenchServer, processId: string, giveUpAt: number): Promise<number | null> {
  while (Date.now() < giveUpAt) {
    const health = await healthOf(survivor.url);
    if (health && !health.processes.includes(processId)) return Date.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

async function tapOf(page: Page): Promise<Tap> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __failover: unknown }).__failover)) as Tap);
}

/** The remote videos decoding now: consumer id → peer id. */
async function decoding(page: Page): Promise<Map<string, string>> {
  const videos = await page.$$eval('video[data-testid="remote-video"]', (elements) =>
    elements.map((v) => {
      const video = v as HTMLVideoElement;
      return { consumerId: video.dataset['consumerId'] ?? '', peerId: video.dataset['peerId'] ?? '', frames: video.getVideoPlaybackQuality().totalVideoFrames, width: video.videoWidth };
    }),
  );
  return new Map(videos.filter((v) => v.frames > 0 && v.width > 0).map((v) => [v.consumerId, v.peerId]));
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

const after = (t: number | null | undefined, zero: number): string => (t === null || t === undefined ? '–' : `${t - zero}`);

/** What one browser went through after the kill, from its tap. */
function recovery(member: Member, tap: Tap, killedAt: number, affected: Set<string>, onVictim: boolean): Recovery {
  const firstFresh = new Map<string, number>();
  for (const [consumerId, { peerId, at }] of Object.entries(tap.frames)) {
    if (member.before.has(consumerId) || !affected.has(peerId)) continue;
    firstFresh.set(peerId, Math.min(firstFresh.get(peerId) ?? Infinity, at));
  }
  const complete = [...affected].every((p) => firstFresh.has(p));
  const videoAt = complete ? Math.max(...firstFresh.values()) : null;
  const closed = tap.ws.find((w) => w.closed !== null && w.closed >= killedAt - 50)?.closed ?? null;
  const reopened = tap.ws.find((w) => w.created >= killedAt && w.open !== null)?.open ?? null;
  const join = tap.sent.find((s) => s.t >= killedAt && s.name === 'room:join');
  const joined = join ? (tap.acks.find((a) => a.id === join.id && a.t >= join.t)?.t ?? null) : null;
  const pc = tap.pcs.find((p) => p.created >= killedAt && p.receives)?.connected ?? null;
  const staleGone = Math.max(
    ...[...member.before].filter(([, peerId]) => affected.has(peerId)).map(([consumerId]) => tap.seen[consumerId]?.at ?? killedAt),
  );
  const steps = onVictim
    ? `socket closed ${after(closed, killedAt)}, open again ${after(reopened, killedAt)}, room:join answered ${after(joined, killedAt)}, receiving pc connected ${after(pc, killedAt)}`
    : `stale tile last seen ${after(staleGone, killedAt)}`;
  return { label: member.label, onVictim, videoMs: videoAt === null ? null : videoAt - killedAt, steps };
}

async function joinMember(browser: Browser, label: string, on: number, entryPorts: number[], token: string): Promise<Member> {
  const proxy = await startFailoverProxy(entryPorts);
  const page = await openPage(browser);
  await page.addInitScript(TAP_SCRIPT);
  await page.goto(`${proxy.url}/join?invite=${token}`);
  await page.getByTestId('join-name').fill(label);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return { label, on, page, context: page.context(), proxy, id: '', before: new Map() };
}

async function oneRound(round: number, servers: BenchServer[], ids: string[], browsers: Browser[], perProcess: number): Promise<Round> {
  const victimIndex = round % servers.length;
  const victim = servers[victimIndex];
  if (!victim) throw new TypeError('no victim');
  const survivors = servers.filter((_, i) => i !== victimIndex);
  const { roomId } = await createRoom(servers[0] as BenchServer, { open: true, floorOnly: false });
  const members: Member[] = [];
  try {
    for (let i = 0; i < servers.length; i++) {
      for (let k = 0; k < perProcess; k++) {
        const browser = browsers[i * perProcess + k];
        if (!browser) throw new TypeError('not enough browsers');
        // Its own process first, then the others in turn.
        const order = servers.map((_, j) => Number(new URL((servers[(i + j) % servers.length] as BenchServer).url).port));
        const label = `浏览器${i + 1}-${k + 1}`;
        const token = await invite(servers[0] as BenchServer, roomId, 'member', 'city');
        members.push(await joinMember(browser, label, i, order, token));
      }
    }
    const others = members.length - 1;
    for (const m of members) {
      m.before = await until(() => decoding(m.page), (v) => v.size === others, 60_000, `${m.label} sees ${others} videos`);
    }
    // The baseline: the last member's join, from its click to its first decoded frame, read from its tap.
    const last = members[members.length - 1] as Member;
    const lastTap = await tapOf(last.page);
    const click = lastTap.sent.find((s) => s.name === 'room:join')?.t;
    const firstFrame = Math.min(...Object.values(lastTap.frames).map((f) => f.at));
    const joinMs = click === undefined ? NaN : firstFrame - click;
    // Each member's own id is the one every other member sees and it does not.
    const everyone = new Set(members.flatMap((m) => [...m.before.values()]));
    for (const m of members) m.id = [...everyone].find((id) => ![...m.before.values()].includes(id)) ?? '';
    const onVictim = new Set(members.filter((m) => m.on === victimIndex).map((m) => m.id));

    const killedAt = Date.now();
    const detection = detected(survivors[0] as BenchServer, ids[victimIndex] as string, killedAt + GIVE_UP_MS);
    process.kill(victim.pid, 'SIGKILL');
    const recoveries: Recovery[] = [];
    let staleTiles = 0;
    await Promise.all(
      members.map(async (m) => {
        const wasOnVictim = m.on === victimIndex;
        const affected = wasOnVictim ? new Set(m.before.values()) : new Set([...m.before.values()].filter((p) => onVictim.has(p)));
        const fresh = (videos: Map<string, string>): boolean => [...affected].every((p) => [...videos].some(([c, peer]) => peer === p && !m.before.has(c)));
        const videos = await until(() => decoding(m.page), fresh, GIVE_UP_MS, `${m.label} has video again`).catch(() => null);
        recoveries.push(recovery(m, await tapOf(m.page), killedAt, affected, wasOnVictim));
        // A stale tile: a consumer from before the kill, of a peer whose track went through the dead process.
        if (videos) {
          await new Promise((r) => setTimeout(r, 1000));
          const tiles = await m.page.$$eval('video[data-testid="remote-video"]', (els) => els.map((e) => (e as HTMLVideoElement).dataset['consumerId'] ?? ''));
          staleTiles += tiles.filter((c) => m.before.has(c) && affected.has(m.before.get(c) ?? '')).length;
        }
      }),
    );
    const detectedAt = await detection;
    recoveries.sort((a, b) => a.label.localeCompare(b.label));
    return { victim: victim.name, detectionMs: detectedAt === null ? null : detectedAt - killedAt, joinMs, recoveries, staleTiles };
  } finally {
    for (const m of members) {
      await m.context.close().catch(() => undefined);
      await m.proxy.close();
    }
  }
}

function fmt(value: number | null): string {
  return value === null ? 'FAILED' : `${value.toFixed(0)} ms`;
}

function summary(label: string, values: Array<number | null>): string {
  const ok = values.filter((v): v is number => v !== null);
  const failed = values.length - ok.length;
  if (ok.length === 0) return `${label}: none`;
  const max = Math.max(...ok);
  const within = ok.filter((v) => v <= GOAL_MS).length;
  return `${label}: median ${median(ok).toFixed(0)} ms, max ${max.toFixed(0)} ms (n ${values.length}${failed > 0 ? `, ${failed} FAILED` : ''}); ${within} of ${values.length} within the ${GOAL_MS / 1000} s goal`;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  startWatchdog(NAME, env.FAILOVER_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${env.FAILOVER_ROUNDS} kills, ${env.FAILOVER_PROCESSES} processes, ${env.FAILOVER_BROWSERS} browser(s) per process; ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  let redis: TestRedis | undefined;
  const servers: BenchServer[] = [];
  const browsers: Browser[] = [];
  const all: BenchServer[] = [];
  const rounds: Round[] = [];
  try {
    redis = await startRedis({ persistence: true });
    const adminSecret = randomBytes(16).toString('hex');
    const shared = { REDIS_URL: redis.url, INVITE_SECRET: randomBytes(32).toString('hex'), BALLOT_SECRET: randomBytes(32).toString('hex'), RESUME_GRACE_SECONDS: '20' };
    let started = 0;
    const start = async (): Promise<BenchServer> => {
      const server = await startBenchServer({ name: `p${++started}`, adminSecret, env: shared });
      all.push(server);
      return server;
    };
    for (let i = 0; i < env.FAILOVER_PROCESSES; i++) servers.push(await start());
    const ids: string[] = [];
    for (const s of servers) ids.push((await healthOf(s.url))?.processId ?? '');
    for (let i = 0; i < env.FAILOVER_PROCESSES * env.FAILOVER_BROWSERS; i++) browsers.push(await launchChromium());

    for (let round = 0; round < env.FAILOVER_ROUNDS; round++) {
      // Every process sees every other before the round starts.
      await until(() => Promise.all(servers.map((s) => healthOf(s.url))), (hs) => hs.every((h) => h !== null && ids.every((id) => h.processes.includes(id))), 30_000, 'processes see each other');
      const r = await oneRound(round, servers, ids, browsers, env.FAILOVER_BROWSERS);
      rounds.push(r);
      console.log(
        `${NAME}: round ${round + 1}: killed ${r.victim}; detected by a survivor after ${fmt(r.detectionMs)}; join (baseline) ${Number.isFinite(r.joinMs) ? `${r.joinMs.toFixed(0)} ms` : 'not seen'}; stale tiles left ${r.staleTiles}`,
      );
      for (const b of r.recoveries) {
        console.log(`${NAME}:   ${b.label} (${b.onVictim ? 'on the killed process' : 'on a survivor'}): video again after ${fmt(b.videoMs)} (${b.steps})`);
      }
      const victimIndex = round % servers.length;
      await servers[victimIndex]?.stop();
      servers[victimIndex] = await start();
      ids[victimIndex] = (await healthOf((servers[victimIndex] as BenchServer).url))?.processId ?? '';
    }
  } finally {
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await Promise.all(all.map((s) => s.stop()));
    await redis?.destroy();
  }
  const recoveries = rounds.flatMap((r) => r.recoveries);
  const everyBrowser = recoveries.map((b) => b.videoMs);
  const lastPerRound = rounds.map((r) => (r.recoveries.some((b) => b.videoMs === null) ? null : Math.max(...r.recoveries.map((b) => b.videoMs ?? 0))));
  const joins = rounds.map((r) => r.joinMs).filter((v) => Number.isFinite(v));
  console.log(`${NAME}: results over ${rounds.length} kills`);
  console.log(`${NAME}:   ${summary('detection by a survivor', rounds.map((r) => r.detectionMs))}`);
  console.log(`${NAME}:   ${summary('browsers on the killed process', recoveries.filter((b) => b.onVictim).map((b) => b.videoMs))}`);
  console.log(`${NAME}:   ${summary('browsers on a survivor', recoveries.filter((b) => !b.onVictim).map((b) => b.videoMs))}`);
  console.log(`${NAME}:   ${summary('every browser has video again (last per kill)', lastPerRound)}`);
  const ok = lastPerRound.filter((v): v is number => v !== null);
  if (ok.length > 0 && joins.length > 0) {
    console.log(`${NAME}:   baseline, a join's click → first remote frame: median ${median(joins).toFixed(0)} ms; failover (last per kill) / join: median ${times(median(ok), median(joins))}, max ${times(Math.max(...ok), median(joins))}`);
  }
  const stale = rounds.reduce((sum, r) => sum + r.staleTiles, 0);
  if (stale > 0) console.log(`${NAME}:   FAILED: ${stale} stale tiles of the dead process's tracks left on survivors' pages`);
  if (everyBrowser.some((v) => v === null) || stale > 0) throw new Error('a browser had no video again (see above)');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`${NAME}: failed:`, error);
    console.log(`${NAME}: FAILED — ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
