/**
 * The set-up of the benchmarks that read a large topic's comments over HTTP (staff-queue,
 * api-compression): the real server with the public's limits raised (every client is on
 * 127.0.0.1; printed), and a room with comments open, as its host, a secretary and the public
 * reach it.
 */
import type { RunningServer } from '../../server/app.js';
import { createRoom, invite } from '../../test/helpers/rooms.js';
import { startTestServer } from '../../test/helpers/server.js';
import { describeLimits, PUBLIC_ONE_ADDRESS } from './oneAddress.js';
import { openComments, type Api } from './publicHttp.js';

export type CommentsTopic = { server: RunningServer; roomId: string; host: Api; secretary: Api; public: Api };

/** Starts the server and opens a topic's comments; `name` heads the printed limits. */
export async function startCommentsTopic(name: string): Promise<CommentsTopic> {
  console.log(`${name}: the server gets ${describeLimits(PUBLIC_ONE_ADDRESS)} (every client is on 127.0.0.1)`);
  const server = await startTestServer({ ...PUBLIC_ONE_ADDRESS });
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  await openComments(server, roomId);
  const as = (token: string): Api => ({ url: server.url, roomId, token });
  return {
    server,
    roomId,
    host: as(hostInvite),
    secretary: as(await invite(server, roomId, 'secretary', 'city', '秘书')),
    public: as(await invite(server, roomId, 'public')),
  };
}
