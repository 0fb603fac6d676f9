/**
 * The program across processes: two "processes" in this test process (each its own worker and
 * media rooms), joined by MediaPipes over an in-memory bus as in media-pipes.test.ts. The chair
 * sends real media into process a; a viewer watches on process b, where nobody of the meeting
 * is: the audience grows with processes, not only with cores.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { MediaPipes } from '../server/cluster/MediaPipes.js';
import { createMemoryBus, type PipeBus } from '../server/cluster/pipeBus.js';
import type { Logger } from '../server/log.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import type { RtcListenOptions } from '../server/media/transports.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { emptyRoom, type Participant, type RoomState } from '../signaling/room/state.js';
import { peerHost } from './helpers/peerHost/PeerHost.js';
import { ProgramViewer } from './helpers/ProgramViewer.js';
import { RoomPeer } from './helpers/RoomPeer.js';

const LISTEN: RtcListenOptions = { listenIp: '127.0.0.1', announcedAddress: undefined, minPort: 40000, maxPort: 49999 };
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

/** The meeting as both processes read it: the chair is in, nobody holds the floor. */
function meetingState(roomId: string): RoomState {
  const chair: Participant = {
    id: 'chair',
    inviteId: 'i',
    name: '主持人',
    role: 'host',
    venue: 'city',
    sector: '',
    status: 'admitted',
    online: true,
    presences: [],
    forceMuted: false,
    speeches: 0,
  };
  return { ...emptyRoom(roomId), participants: { chair } };
}

const closers: Array<() => Promise<void> | void> = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  peerHost.close();
});

async function side(id: string, bus: PipeBus) {
  const pool = await WorkerPool.create({ size: 1, listen: LISTEN, logger: quiet });
  const rooms = new MediaRooms(pool, quiet, { roomState: async (roomId) => meetingState(roomId) });
  const pipes = new MediaPipes({ bus, rooms, listen: LISTEN, logger: quiet, answerTimeoutMs: 5_000 });
  closers.push(async () => {
    pipes.close();
    await rooms.close();
    pool.close();
  });
  return { id, rooms, pipes };
}

describe('the program on a process without participants', () => {
  test("a viewer on process b decodes the chair who sends into process a, through the room's pipes", async () => {
    const [busA, busB] = createMemoryBus(['proc-a', 'proc-b']);
    if (!busA || !busB) throw new Error('two buses expected');
    const a = await side('proc-a', busA);
    const b = await side('proc-b', busB);
    const roomId = 'room-program';

    const chair = await RoomPeer.join(await a.rooms.get(roomId), 'chair');
    closers.push(() => chair.leave());
    const [, cameraId] = await chair.produce({ audio: true, video: true });

    // The viewer's arrival opens the room's media on b (held for the audience), and b links.
    const media = await b.rooms.audience.openViewer(roomId, 'viewer');
    a.pipes.link(roomId, b.id);
    const viewer = await ProgramViewer.open(media);
    closers.push(() => viewer.close());

    await viewer.nextFrame(() => true, "the chair's picture on process b");
    const program = await b.rooms.audience.program(roomId);
    expect(program?.sources.video).toBe(cameraId);
    // b has no participant of its own: the room stays open for its audience.
    const bRoom = await b.rooms.find(roomId);
    expect(bRoom?.size).toBe(0);
    expect(bRoom?.closed).toBe(false);
  });
});
