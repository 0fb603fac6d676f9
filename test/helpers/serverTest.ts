/**
 * The set-up the protocol test files share (kept apart from server.ts, which benchmarks use
 * outside the test runner).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { startTestServer } from './server.js';
import { TestPeer } from './TestPeer.js';

/**
 * Before the file's tests, one server (with `env`) handed to `ready`; after each test, the
 * clients it connected closed (so that none of them holds a seat, a queue place or the floor in
 * the next test); after them all, the server. Returns how a test connects a client.
 */
export function withTestServer(ready: (server: RunningServer) => void, env: Record<string, string> = {}): () => Promise<TestPeer> {
  let server: RunningServer | undefined;
  const peers: TestPeer[] = [];
  beforeAll(async () => {
    server = await startTestServer(env);
    ready(server);
  });
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.close();
  });
  afterAll(async () => {
    await server?.close();
  });
  return async () => {
    if (!server) throw new Error('connect() before the server started');
    const peer = await TestPeer.connect(server.url);
    peers.push(peer);
    return peer;
  };
}
