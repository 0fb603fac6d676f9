/**
 * GET /metrics for the operator: behind the bearer secret on the main port, without it on a
 * port of its own; Prometheus text that a strict reader accepts (helpers/promText.ts, not
 * prom-client's own formatter); counts that follow a real room with real WebRTC peers through
 * joins and leaves; and a Grafana dashboard that reads only what the server exports.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createLogger } from '../server/log.js';
import { metricsRoute } from '../server/metrics/metricsHttp.js';
import { ROLES, type RoomState } from '../signaling/room/state.js';
import { eventually } from './helpers/browser.js';
import { parsePrometheusText, sampleValue, samplesOf, type Family } from './helpers/promText.js';
import { startRedis } from './helpers/redisServer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';
import { TestViewer } from './helpers/TestViewer.js';

const SECRET = 'metrics-secret-for-the-test-0123';

/** Every metric README "Metrics" documents, with its type. */
const DOCUMENTED: Record<string, string> = {
  wsl_rooms: 'gauge',
  wsl_participants: 'gauge',
  wsl_audience_viewers: 'gauge',
  wsl_sockets: 'gauge',
  wsl_mediasoup_transports: 'gauge',
  wsl_mediasoup_producers: 'gauge',
  wsl_mediasoup_consumers: 'gauge',
  wsl_mediasoup_consumers_poor: 'gauge',
  wsl_mediasoup_worker_cpu_seconds_total: 'counter',
  wsl_command_duration_seconds: 'histogram',
  wsl_event_append_duration_seconds: 'histogram',
  wsl_events_fanned_out_total: 'counter',
  wsl_fanout_messages_total: 'counter',
  wsl_store_available: 'gauge',
  wsl_redis_connected: 'gauge',
  wsl_cluster_processes: 'gauge',
  wsl_pipe_links: 'gauge',
  wsl_stream_encoders: 'gauge',
  wsl_stream_restarts_total: 'counter',
  nodejs_eventloop_lag_seconds: 'gauge',
  process_resident_memory_bytes: 'gauge',
  process_cpu_seconds_total: 'counter',
};

let server: RunningServer;
const peers: TestPeer[] = [];
let viewer: TestViewer | undefined;

async function scrape(): Promise<Map<string, Family>> {
  const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${SECRET}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** Online participants by role, as the room's own state has them. */
function onlineByRole(state: RoomState): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(ROLES.map((role) => [role, 0]));
  for (const p of Object.values(state.participants)) if (p.online) counts[p.role] = (counts[p.role] ?? 0) + 1;
  return counts;
}

function participantsByRole(families: Map<string, Family>): Record<string, number> {
  return Object.fromEntries(samplesOf(families, 'wsl_participants').map((s) => [s.labels['role'] ?? '?', s.value]));
}

/** What the server's own pool says about its one worker. */
function poolCounts(): { transports: number; producers: number; consumers: number } {
  const [worker, ...others] = server.pool.stats();
  if (!worker || others.length > 0) throw new Error('the test server runs one worker');
  return { transports: worker.transports, producers: worker.producers, consumers: worker.consumers.size };
}

function workerGauges(families: Map<string, Family>): { transports: number; producers: number; consumers: number } {
  return {
    transports: sampleValue(families, 'wsl_mediasoup_transports', { worker: '0' }),
    producers: sampleValue(families, 'wsl_mediasoup_producers', { worker: '0' }),
    consumers: sampleValue(families, 'wsl_mediasoup_consumers', { worker: '0' }),
  };
}

beforeAll(async () => {
  server = await startTestServer({ METRICS_SECRET: SECRET, METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', RESUME_GRACE_SECONDS: '1' });
});

afterAll(async () => {
  for (const p of peers) p.close();
  viewer?.close();
  await server.close();
});

describe('GET /metrics on the main port', () => {
  test('answers 401 with a message without the secret or with a wrong one', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.json()).toEqual({ error: 'UNAUTHORIZED', detail: 'metrics secret required: Authorization: Bearer <secret>' });
    const wrong = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${SECRET.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'UNAUTHORIZED', detail: 'wrong metrics secret' });
    const admin = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${server.adminSecret}` } });
    expect(admin.status).toBe(401);
  });

  test('answers 404 (not the client page) when no secret is set', async () => {
    const app = express();
    app.use(metricsRoute(undefined, undefined, createLogger('silent')));
    app.get(/.*/, (_req, res) => res.send('<!doctype html>'));
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`, { headers: { Authorization: `Bearer ${SECRET}` } });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'NOT_FOUND' });
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });

  test('with the secret: Prometheus text with every documented metric, its HELP and TYPE', async () => {
    const families = await scrape();
    for (const [name, type] of Object.entries(DOCUMENTED)) {
      const family = families.get(name);
      expect(family, name).toBeDefined();
      expect(family?.type, name).toBe(type);
      expect(family?.help, name).toMatch(/\S/);
    }
    // One process on SQLite: no Redis to report on, no pipes, the store ready.
    expect(samplesOf(families, 'wsl_redis_connected')).toEqual([]);
    expect(sampleValue(families, 'wsl_store_available')).toBe(1);
    expect(sampleValue(families, 'wsl_cluster_processes')).toBe(1);
    expect(samplesOf(families, 'wsl_pipe_links').map((s) => s.value)).toEqual([0, 0, 0, 0]);
  });
});

describe('the counts follow a room', () => {
  let roomId = '';
  let host: TestPeer;
  const members: TestPeer[] = [];

  test('a host, three members sending camera and microphone, and a public viewer', async () => {
    const before = await scrape();
    const commandsBefore = samplesOf(before, 'wsl_command_duration_seconds_count').reduce((sum, s) => sum + s.value, 0);
    const created = await createRoom(server, { open: true, floorOnly: false });
    roomId = created.roomId;
    host = await TestPeer.connect(server.url);
    peers.push(host);
    await host.join(created.hostInvite, '主持人');
    for (const name of ['委员甲', '委员乙', '委员丙']) {
      const member = await TestPeer.connect(server.url);
      peers.push(member);
      members.push(member);
      const joined = await member.join(await invite(server, roomId, 'member', 'city'), name);
      expect(joined.media).not.toBeNull();
    }
    for (const member of members) await member.produce({ audio: true, video: true });
    // Each member receives the other two's camera and microphone; the host all three's.
    for (const member of members) await member.waitForConsumers(4);
    await host.waitForConsumers(6);
    viewer = await TestViewer.connect(server.url);
    await viewer.join(await invite(server, roomId, 'public', 'city'));

    const families = await scrape();
    const state = await server.rooms.state(roomId);
    if (!state) throw new Error('no room');
    expect(participantsByRole(families)).toEqual(onlineByRole(state));
    expect(participantsByRole(families)).toMatchObject({ host: 1, member: 3, venue: 0, public: 0 });
    expect(sampleValue(families, 'wsl_rooms')).toBe(1);
    expect(sampleValue(families, 'wsl_audience_viewers')).toBe(1);
    expect(sampleValue(families, 'wsl_sockets')).toBe(server.io.engine.clientsCount);
    expect(sampleValue(families, 'wsl_sockets')).toBe(5);

    const media = await server.media.get(roomId);
    const peersHere = media.peers();
    const gauges = workerGauges(families);
    expect(gauges).toEqual(poolCounts());
    expect(gauges).toEqual({
      // A send and a receive transport per participant.
      transports: peersHere.reduce((sum, p) => sum + (p.sendTransport ? 1 : 0) + (p.recvTransport ? 1 : 0), 0),
      producers: peersHere.reduce((sum, p) => sum + p.producers.size, 0),
      consumers: peersHere.reduce((sum, p) => sum + p.consumers.size, 0),
    });
    expect(gauges.producers).toBe(3 * 2);
    expect(gauges.consumers).toBe(3 * 2 * 2 + 6);
    const poor = sampleValue(families, 'wsl_mediasoup_consumers_poor', { worker: '0' });
    expect(poor).toBeGreaterThanOrEqual(0);
    expect(poor).toBeLessThanOrEqual(gauges.consumers);
    expect(sampleValue(families, 'wsl_mediasoup_worker_cpu_seconds_total', { worker: '0' })).toBeGreaterThan(0);

    // Joins are commands too (system:arrive), each appended to SQLite and fanned out.
    const commandsAfter = samplesOf(families, 'wsl_command_duration_seconds_count').reduce((sum, s) => sum + s.value, 0);
    expect(commandsAfter - commandsBefore).toBeGreaterThanOrEqual(4);
    expect(sampleValue(families, 'wsl_command_duration_seconds_count', { command: 'system:arrive' })).toBe(4);
    expect(sampleValue(families, 'wsl_event_append_duration_seconds_count', { store: 'sqlite' })).toBeGreaterThanOrEqual(5);
    expect(sampleValue(families, 'wsl_events_fanned_out_total')).toBeGreaterThan(0);
    expect(sampleValue(families, 'wsl_fanout_messages_total')).toBeGreaterThan(0);
  });

  test('the command histogram counts every command sent, by its type', async () => {
    const count = (families: Map<string, Family>, command: string): number =>
      samplesOf(families, 'wsl_command_duration_seconds_count').find((s) => s.labels['command'] === command)?.value ?? 0;
    const before = await scrape();
    const appendsBefore = sampleValue(before, 'wsl_event_append_duration_seconds_count', { store: 'sqlite' });
    // The list starts open; it ends open again, for the hand raised after.
    const toggles = 6;
    for (let i = 0; i < toggles; i++) await host.command('queue:setOpen', { open: i % 2 === 1 });
    const member = members[0];
    if (!member) throw new Error('no member');
    await member.command('queue:raise', { speechType: 'statement', note: '' });
    const after = await scrape();
    expect(count(after, 'queue:setOpen') - count(before, 'queue:setOpen')).toBe(toggles);
    expect(count(after, 'queue:raise') - count(before, 'queue:raise')).toBe(1);
    // Each command changed the room: one append each.
    expect(sampleValue(after, 'wsl_event_append_duration_seconds_count', { store: 'sqlite' }) - appendsBefore).toBe(toggles + 1);
    const bucket = samplesOf(after, 'wsl_command_duration_seconds_bucket').find((s) => s.labels['command'] === 'queue:setOpen' && s.labels['le'] === '+Inf');
    expect(bucket?.value).toBe(count(after, 'queue:setOpen'));
  });

  test('after a member leaves, another drops and the viewer goes, the counts go down', async () => {
    const [leaving, dropping, staying] = members;
    if (!leaving || !dropping || !staying) throw new Error('three members expected');
    await leaving.request('room:leave', {});
    dropping.close();
    viewer?.close();
    // The member who stays sends 2 and receives nothing more; the host receives the 2.
    const families = await eventually(scrape, (f) => {
      const g = workerGauges(f);
      return participantsByRole(f)['member'] === 1 && g.consumers === 2 && g.producers === 2 && sampleValue(f, 'wsl_audience_viewers') === 0;
    });
    const state = await server.rooms.state(roomId);
    if (!state) throw new Error('no room');
    expect(participantsByRole(families)).toEqual(onlineByRole(state));
    expect(participantsByRole(families)).toMatchObject({ host: 1, member: 1 });
    expect(workerGauges(families)).toEqual(poolCounts());
    const media = await server.media.get(roomId);
    expect(media.peers().reduce((sum, p) => sum + p.consumers.size, 0)).toBe(2);
  });
});

describe('the metrics port (METRICS_PORT)', () => {
  test('serves /metrics without a secret, and nothing else', async () => {
    const url = server.metricsUrl;
    if (!url) throw new Error('no metrics listener');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const families = parsePrometheusText(await response.text());
    expect([...families.keys()].sort()).toEqual([...(await scrape()).keys()].sort());
    expect((await fetch(url.replace(/\/metrics$/, '/healthz'))).status).toBe(404);
  });
});

describe('with Redis (REDIS_URL) and METRICS_PORT alone', () => {
  test('appends are timed as redis, the Redis state follows the connection, and the main port answers 404', async () => {
    const redis = await startRedis();
    const secret = (bytes: number): string => 'r'.repeat(bytes);
    const clustered = await startTestServer({
      REDIS_URL: redis.url,
      ADMIN_SECRET: secret(16),
      INVITE_SECRET: secret(32),
      BALLOT_SECRET: secret(32),
      METRICS_PORT: '0',
    });
    const read = async (): Promise<Map<string, Family>> => {
      const response = await fetch(clustered.metricsUrl ?? 'http://127.0.0.1:1/');
      return parsePrometheusText(await response.text());
    };
    try {
      expect((await fetch(`${clustered.url}/metrics`, { headers: { Authorization: `Bearer ${SECRET}` } })).status).toBe(404);
      await createRoom(clustered);
      const up = await read();
      expect(sampleValue(up, 'wsl_redis_connected', { connection: 'cluster' })).toBe(1);
      expect(sampleValue(up, 'wsl_store_available')).toBe(1);
      expect(sampleValue(up, 'wsl_cluster_processes')).toBe(1);
      expect(sampleValue(up, 'wsl_event_append_duration_seconds_count', { store: 'redis' })).toBe(1);
      expect(samplesOf(up, 'wsl_event_append_duration_seconds_count').map((s) => s.labels['store'])).toEqual(['redis']);
      await redis.kill();
      await eventually(read, (f) => sampleValue(f, 'wsl_redis_connected', { connection: 'cluster' }) === 0 && sampleValue(f, 'wsl_store_available') === 0, 15_000);
      await redis.restart();
      await eventually(read, (f) => sampleValue(f, 'wsl_redis_connected', { connection: 'cluster' }) === 1 && sampleValue(f, 'wsl_store_available') === 1, 15_000);
    } finally {
      await clustered.close();
      await redis.destroy();
    }
  });
});

describe('the Grafana dashboard (ops/grafana/wei-shangliang.json)', () => {
  test('is dashboard JSON on a Prometheus data source variable, and reads only metrics the server exports', async () => {
    const dashboard: unknown = JSON.parse(readFileSync(new URL('../ops/grafana/wei-shangliang.json', import.meta.url), 'utf8'));
    const families = await scrape();
    const { panels, variables, expressions } = dashboardParts(dashboard);
    expect(variables).toContainEqual({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(panels.length).toBeGreaterThanOrEqual(8);
    for (const panel of panels) expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '$' + '{datasource}' });
    const used = new Set(expressions.flatMap((expr) => [...expr.matchAll(/\b(?:wsl|nodejs|process)_[a-z0-9_]+/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThanOrEqual(10);
    for (const name of used) {
      const family = name.replace(/_(bucket|sum|count)$/, '');
      const exported = families.has(name) || (families.get(family)?.type === 'histogram' && family !== name);
      expect(exported, `${name} is not exported`).toBe(true);
    }
    // Every group of the issue has a panel reading it.
    for (const name of Object.keys(DOCUMENTED).filter((n) => n.startsWith('wsl_'))) {
      expect([...used].some((u) => u === name || u.startsWith(`${name}_`)), `${name} is on no panel`).toBe(true);
    }
  });
});

type Panel = { title: string; datasource: unknown; targets: Array<{ expr: string }> };

/** The panels (rows unfolded), the templating variables and every query of a dashboard. */
function dashboardParts(dashboard: unknown): {
  panels: Panel[];
  variables: Array<{ name: string; type: string; query: unknown }>;
  expressions: string[];
} {
  const d = dashboard as { panels: Array<Panel & { type: string; panels?: Panel[] }>; templating: { list: Array<{ name: string; type: string; query: unknown }> } };
  expect(Array.isArray(d.panels)).toBe(true);
  const panels = d.panels.flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
  const variables = d.templating.list.map(({ name, type, query }) => ({ name, type, query }));
  const expressions = panels.flatMap((p) => p.targets.map((t) => t.expr));
  for (const expr of expressions) expect(typeof expr).toBe('string');
  return { panels, variables, expressions };
}
