/**
 * The minutes as files from the running server: only the host and the secretary get them,
 * and each format verifies against the room's log.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { verifyExport } from '../server/export/verify.js';
import { launchChromium, OUTPUT_DIR } from './helpers/browser.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
let roomId: string;
let hostInvite: string;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer();
  ({ roomId, hostInvite } = await createRoom(server, { open: true }));
  const host = await TestPeer.connect(server.url);
  const member = await TestPeer.connect(server.url);
  peers.push(host, member);
  await host.join(hostInvite, '主持人');
  await member.join(await invite(server, roomId, 'member', 'd1'), '李委员<script>');
  await member.command('queue:raise', { speechType: 'question', note: '电梯费用如何分摊？' });
  await host.command('floor:grant', { target: { kind: 'next' } });
  await host.command('floor:revoke', {});
  await host.command('poll:create', { question: '是否同意加装？', kind: 'yesno', threshold: 'simple' });
  await host.command('poll:open', { pollId: 'poll-1' });
  await member.command('poll:vote', { pollId: 'poll-1', choices: [0] });
  await host.command('poll:close', { pollId: 'poll-1' });
  await host.command('poll:publish', { pollId: 'poll-1' });
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

async function get(format: string, token?: string): Promise<Response> {
  return fetch(`${server.url}/api/rooms/${roomId}/minutes.${format}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

test('without an invite, with a member’s invite, or for another room the minutes are refused', async () => {
  expect((await get('md')).status).toBe(401);
  expect((await get('md', await invite(server, roomId, 'member'))).status).toBe(403);
  const other = await createRoom(server);
  expect((await get('md', other.hostInvite)).status).toBe(401);
  expect((await get('pdf', hostInvite)).status).toBe(400);
});

test('host and secretary get Markdown, HTML and DOCX that verify against the log', async () => {
  const secretary = await invite(server, roomId, 'secretary');
  for (const [format, token] of [['md', hostInvite], ['html', secretary], ['docx', hostInvite]] as const) {
    const res = await get(format, token);
    expect(res.status).toBe(200);
    const file = Buffer.from(await res.arrayBuffer());
    expect(await verifyExport(file, server.store, roomId)).toMatchObject({ ok: true });
    if (format !== 'docx') {
      const text = file.toString('utf8');
      expect(text).toContain('电梯费用如何分摊');
      expect(text).not.toContain('李委员<script>');
    }
  }
});

test('the files are named by topic and meeting day, with an ASCII name for old clients', async () => {
  // The meeting day is the day (in Beijing) of the first arrival the log recorded: read from the
  // log, not from today's clock, so a run across Beijing's midnight names the same day.
  const arrivals = (await server.store.read(roomId)).filter((e) => e.type === 'participant.arrived');
  const firstArrival = Math.min(...arrivals.map((e) => e.at));
  expect(Number.isFinite(firstArrival)).toBe(true);
  const today = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(firstArrival);
  for (const [format, kind] of [['docx', 'attachment'], ['md', 'attachment'], ['html', 'inline']] as const) {
    const disposition = (await get(format, hostInvite)).headers.get('content-disposition') ?? '';
    const name = `老旧小区加装电梯协商-${today}-纪要-第1版草稿.${format}`;
    expect(disposition).toMatch(new RegExp(`^${kind}; filename="minutes-${roomId}-v1-draft-\\d+\\.${format}"; `));
    expect(disposition.endsWith(`; filename*=UTF-8''${encodeURIComponent(name)}`)).toBe(true);
  }
});

test('the print page renders (screenshot in test-output/minutes-print.png)', async () => {
  const html = await (await get('html', hostInvite)).text();
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, 'minutes-print.html');
  writeFileSync(file, html);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'minutes-print.png'), fullPage: true });
    expect(await page.locator('body').innerText()).toContain('是否同意加装');
  } finally {
    await browser.close();
  }
});
