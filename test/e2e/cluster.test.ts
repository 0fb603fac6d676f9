/**
 * Browsers on different server processes of one Redis cluster, through the real UI in Debian's
 * Chromium: they see and hear each other (their routers joined by pipe transports), and a
 * browser whose process is killed comes back through the public entry on another process as
 * the same participant, with video again.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, inboundPackets, launchChromium, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startFailoverProxy, type FailoverProxy } from '../helpers/failoverProxy.js';
import type { ServerProcess } from '../helpers/processServer.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { TestPeer } from '../helpers/TestPeer.js';

let cluster: TestCluster;
let a: ServerProcess;
let b: ServerProcess;
const browsers: Browser[] = [];
const proxies: FailoverProxy[] = [];
const peers: TestPeer[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { RESUME_GRACE_SECONDS: '20' });
  [a, b] = cluster.servers as [ServerProcess, ServerProcess];
}, 60_000);

afterAll(async () => {
  for (const p of peers) p.close();
  await Promise.all(browsers.map((browser) => browser.close()));
  for (const proxy of proxies) await proxy.close();
  await cluster?.destroy();
});

/** Joins through the join page at `entry` (a process, or the proxy in front of several). */
async function joinThroughUi(entry: string, token: string, name: string): Promise<Page> {
  const browser = await launchChromium();
  browsers.push(browser);
  const page = await openPage(browser);
  await page.goto(`${entry}/join?invite=${token}`);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('room').waitFor();
  return page;
}

/** Waits until the page shows `count` remote videos, all decoding, and answers their frame counts. */
async function seesVideos(page: Page, count: number, name: string, timeoutMs = 60_000) {
  return eventually(
    () => remoteVideos(page),
    (videos) => videos.length === count && videos.every((v) => v.width > 0 && v.frames > 0),
    timeoutMs,
  ).catch(async (error: unknown) => {
    await screenshot(page, `cluster-${name}-failed`);
    throw error;
  });
}

async function framesGrow(page: Page, before: Array<{ peerId: string; frames: number }>): Promise<void> {
  await eventually(
    () => remoteVideos(page),
    (videos) => videos.length > 0 && videos.every((v) => v.frames > (before.find((f) => f.peerId === v.peerId)?.frames ?? 0) + 10),
  );
}

test('a browser on one process sees and hears a browser on the other', async () => {
  const { roomId } = await createRoom(a, { open: true, floorOnly: false });
  const onA = await joinThroughUi(a.url, await invite(a, roomId, 'member', 'city'), '甲进程委员');
  const onB = await joinThroughUi(b.url, await invite(a, roomId, 'member', 'd1'), '乙进程委员');
  for (const [page, name] of [[onA, 'a'], [onB, 'b']] as const) {
    const first = await seesVideos(page, 1, name);
    await framesGrow(page, first);
    const audioBefore = (await inboundPackets(page)).audio;
    await eventually(() => inboundPackets(page), (p) => p.audio > audioBefore + 50);
  }
  await screenshot(onA, 'cluster-two-processes');
});

test('the process of a browser is killed: it comes back through the entry on another process as the same participant, with video', async () => {
  const c = await cluster.add({ RESUME_GRACE_SECONDS: '20' });
  // The entry prefers c, then a: the browser lands on c, and on a once c is gone.
  const entry = await startFailoverProxy([c.port, a.port]);
  proxies.push(entry);
  const { roomId, hostInvite } = await createRoom(a, { open: true, floorOnly: false });
  const host = await TestPeer.connect(a.url);
  peers.push(host);
  await host.join(hostInvite, '主持人');
  const onA = await joinThroughUi(a.url, await invite(a, roomId, 'member', 'city'), '甲进程委员');
  const moving = await joinThroughUi(entry.url, await invite(a, roomId, 'member', 'd2'), '丙进程委员');
  const [seenOnA] = await seesVideos(onA, 1, 'before-kill-a');
  const [seenByMoving] = await seesVideos(moving, 1, 'before-kill-c');
  const movingId = Object.values(host.room.participants).find((p) => p.name === '丙进程委员')?.id ?? '';
  expect(movingId).not.toBe('');

  const killedAt = performance.now();
  await c.stop('SIGKILL');
  // Back on a through the entry: new consumers on both sides (the old ones died with c), decoding.
  const fresh = (old: { consumerId: string } | undefined) => (videos: Array<{ consumerId: string; width: number; frames: number }>) =>
    videos.length === 1 && videos.every((v) => v.consumerId !== old?.consumerId && v.width > 0 && v.frames > 0);
  await eventually(() => remoteVideos(moving), fresh(seenByMoving), 60_000);
  const resumedMs = performance.now() - killedAt;
  await eventually(() => remoteVideos(onA), fresh(seenOnA), 60_000);
  const bothMs = performance.now() - killedAt;
  await framesGrow(moving, await remoteVideos(moving));
  // The same participant, online, not a second one.
  expect(Object.values(host.room.participants).filter((p) => p.name === '丙进程委员')).toHaveLength(1);
  expect(host.room.participants[movingId]).toMatchObject({ online: true, status: 'admitted' });
  console.log(`killed process: its browser decoded video from another process after ${resumedMs.toFixed(0)} ms; the other browser had its video again after ${bothMs.toFixed(0)} ms`);
  await screenshot(moving, 'cluster-after-kill');
}, 120_000);
