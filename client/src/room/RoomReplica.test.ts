import { describe, expect, test, vi } from 'vitest';
import type { RoomSync } from '../../../signaling/protocol.js';
import type { RoomState } from '../../../signaling/room/state.js';
import { fullRoom } from '../../../signaling/room/testing.js';
import { stateForViewer } from '../../../signaling/room/visibility.js';
import { RoomReplica } from './RoomReplica.js';

/** A replica whose sync answers are handed in by the test. */
function replicaWith(sync: (lastSeq: number | undefined) => Promise<RoomSync>) {
  const changes: Array<[RoomState | null, RoomState]> = [];
  const tasks: Array<Promise<unknown>> = [];
  const replica = new RoomReplica({
    sync,
    online: () => true,
    roomId: () => 'test-room',
    changed: (previous, next) => void changes.push([previous, next]),
    run: (task) => void tasks.push(task),
  });
  return { replica, changes, settled: () => Promise.all(tasks) };
}

describe('RoomReplica.refresh()', () => {
  test('asks for the whole room (no seq) and takes the answer: the chair handed to me brings what the chair sees', async () => {
    const room = fullRoom();
    room.ok({ type: 'minutes:edit', section: 'conclusions', text: '会议认为可行', baseVersion: 0 }, 'host');
    const asMember = stateForViewer(room.state, { participantId: 'm1', role: 'member' });
    room.ok({ type: 'room:handOver', participantId: 'm1' }, 'host');
    const asChair = stateForViewer(room.state, { participantId: 'm1', role: 'host' });
    const sync = vi.fn(async (_lastSeq: number | undefined): Promise<RoomSync> => ({ kind: 'snapshot', state: asChair }));
    const { replica, changes, settled } = replicaWith(sync);
    replica.apply({ kind: 'snapshot', state: asMember });
    expect(replica.state?.minutes.sections['conclusions']?.text).toBe('');

    replica.refresh();
    await settled();
    expect(sync).toHaveBeenCalledWith(undefined);
    expect(replica.state?.minutes.sections['conclusions']?.text).toBe('会议认为可行');
    expect(changes).toHaveLength(2);
  });

  test('an answer that fails after I left is not an error, and brings no room back', async () => {
    const room = fullRoom();
    let fail: (error: Error) => void = () => undefined;
    const { replica, changes, settled } = replicaWith(() => new Promise<RoomSync>((_, reject) => (fail = reject)));
    replica.apply({ kind: 'snapshot', state: room.state });
    replica.refresh();
    replica.reset();
    fail(new Error('TIMEOUT: socket has been disconnected'));
    await expect(settled()).resolves.toBeDefined();
    expect(replica.state).toBeNull();
    expect(changes).toHaveLength(1);
  });
});
