import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY_HOURS } from '../../signaling/http/recording.js';
import type { Role } from '../../signaling/room/state.js';
import type { TestRoom } from '../../signaling/room/testing.js';
import { recordedOnVideo } from '../export/testing.js';
import { InviteTokens } from '../identity/InviteTokens.js';
import { createLogger } from '../log.js';
import { createMinutesRouter } from './minutesRoutes.js';
import { listenOnLoopback } from './testing.js';

const PUBLIC_URL = 'https://wsl.example.org';
const NOW = 1_800_000_000_000;

let room: TestRoom;
let server: Server;
let base: string;
let invites: InviteTokens;

beforeAll(async () => {
  const recorded = recordedOnVideo();
  room = recorded.room;
  room.recordingSummary = recorded.summary;
  room.ok({ type: 'minutes:lock' }, 'sec');
  invites = await InviteTokens.load({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'wsl-minutes-routes-')) });
  const app = express();
  app.use(
    '/api',
    createMinutesRouter({
      invites,
      state: async (roomId) => (roomId === room.state.id ? room.state : undefined),
      logger: createLogger('silent'),
      publicUrl: () => `${PUBLIC_URL}/`,
      // Stands in for RecordingKeys: shows what was signed, and until when.
      recordingKeys: { sign: (roomId, part, untilMs) => `${untilMs}.${roomId}.${part}` },
      now: () => NOW,
    }),
  );
  ({ server, url: base } = await listenOnLoopback(app, '/api'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function markdownFor(role: Role): Promise<string> {
  const token = await invites.sign({ room: room.state.id, role, venue: 'city', sector: '', inviteId: `inv-${role}-1` }, new Date(NOW + 86_400_000 * 365 * 10));
  const res = await fetch(`${base}/rooms/${room.state.id}/minutes.md`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('the minutes route links the recording', () => {
  test('before the recording is published, the secretary’s export links each part with a key valid KEY_HOURS hours', async () => {
    const md = await markdownFor('secretary');
    const until = NOW + KEY_HOURS * 3_600_000;
    expect(md).toContain(`[录像 第1段 00:00:30](<${PUBLIC_URL}/recordings/test-room/part-1.mp4?key=${until}.test-room.part-1#t=30>)`);
    expect(md).toContain(`${PUBLIC_URL}/recordings/test-room/part-2.mp4?key=${until}.test-room.part-2#t=3620>`);
  });

  test('a member of a room whose minutes are published gets the 录像 section without links until the recording is published', async () => {
    room.ok({ type: 'minutes:publish', published: true }, 'host');
    const md = await markdownFor('member');
    expect(md).toContain('## 录像');
    expect(md).toContain('   录像 第1段 00:00:30\n');
    expect(md).not.toContain('/recordings/');
  });

  test('once the recording is published, everybody’s links open it without a key', async () => {
    room.ok({ type: 'recording:publish', published: true }, 'host');
    for (const role of ['member', 'secretary'] as const) {
      const md = await markdownFor(role);
      expect(md).toContain(`[录像 第1段 00:00:30](<${PUBLIC_URL}/recordings/test-room/part-1.mp4#t=30>)`);
      expect(md).not.toContain('?key=');
    }
  });
});
