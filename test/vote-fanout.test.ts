/**
 * A vote storm's fan-out through the real server: the votes of a busy room go out together
 * (RoomBatches), so each member gets far fewer messages than there are votes, yet every member,
 * and a member who resumes right after a storm, ends with exactly the server's view of the
 * room, every event once and in order. Votes are acked without waiting for the batch.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { unpackEvents } from '../signaling/room/eventsMessage.js';
import { stateForViewer } from '../signaling/room/visibility.js';
import { createRoom, invite } from './helpers/rooms.js';
import { withTestServer } from './helpers/serverTest.js';
import type { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const connect = withTestServer((s) => {
  server = s;
});

const VOTERS = 24;

/** Resolves when `probe` holds, polling (events the test waits for, not a fixed time). */
async function until(probe: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every `room:events` message a socket is sent from now on, as its events. */
function messagesTo(peer: TestPeer): RoomEvent[][] {
  const messages: RoomEvent[][] = [];
  peer.socket.on('room:events', (message) => messages.push(unpackEvents(message)));
  return messages;
}

/** The JSON length of every `room:events` message a socket is sent from now on, as sent. */
function bytesTo(peer: TestPeer): number[] {
  const bytes: number[] = [];
  peer.socket.on('room:events', (message) => bytes.push(JSON.stringify(message).length));
  return bytes;
}

/** A room of a host and VOTERS admitted members (no media), with an open yes/no poll. */
async function votingRoom(): Promise<{ roomId: string; host: TestPeer; voters: TestPeer[]; invites: string[]; pollId: string }> {
  const { roomId, hostInvite } = await createRoom(server);
  const host = await connect();
  await host.join(hostInvite, '主持人');
  const voters: TestPeer[] = [];
  const invites: string[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const memberInvite = await invite(server, roomId, 'member', 'city');
    const v = await connect();
    await v.join(memberInvite, `委员${i + 1}`);
    voters.push(v);
    invites.push(memberInvite);
  }
  await host.waitForRoom((s) => Object.values(s.participants).filter((p) => p.status === 'lobby').length === VOTERS);
  await host.command('lobby:admitAll', {});
  await host.command('poll:create', { question: '是否同意加装电梯方案？', kind: 'yesno' });
  const pollId = host.room.pollOrder.at(-1) ?? (await host.waitForRoom((s) => s.pollOrder.length === 1)).pollOrder[0] ?? '';
  const opened = await host.command('poll:open', { pollId });
  await until(
    () => voters.every((v) => v.room.seq >= opened),
    () => 'the poll open at every voter',
  );
  return { roomId, host, voters, invites, pollId };
}

/** Every member's room, once it holds all the server recorded, is the server's room as that member may see it. */
async function everyoneHoldsTheServersRoom(roomId: string, peers: TestPeer[]): Promise<void> {
  const state = await server.rooms.state(roomId);
  if (!state) throw new Error('no room');
  await until(
    () => peers.every((p) => p.room.seq === state.seq),
    () => `seq ${state.seq} at every member; at ${peers.map((p) => p.room.seq).join(', ')}`,
  );
  for (const p of peers) {
    const id = p.joined?.participantId ?? '';
    const role = state.participants[id]?.role;
    if (role === undefined) throw new Error(`participant ${id} is not in the room`);
    expect(p.room).toEqual(stateForViewer(state, { participantId: id, role }));
    expect(p.gaps).toEqual([]);
  }
}

/** The seqs a socket was sent, in the order it was sent them: strictly increasing means no event twice and none out of order. */
function expectOnceInOrder(seqs: number[]): void {
  for (let i = 1; i < seqs.length; i++) expect(seqs[i], `seq after ${seqs[i - 1]}`).toBeGreaterThan(seqs[i - 1] ?? 0);
}

describe('a vote storm', () => {
  test('every vote at once: each member gets far fewer messages than votes, and ends with the server’s view of the room', async () => {
    const { roomId, host, voters, pollId } = await votingRoom();
    const messages = voters.map(messagesTo);
    const bytes = voters.map(bytesTo);
    const hostMessages = messagesTo(host);
    const acks = await Promise.all(voters.map((v, i) => v.command('poll:vote', { pollId, choices: [i % 2] }, randomUUID())));
    expect(new Set(acks).size).toBe(VOTERS);
    await everyoneHoldsTheServersRoom(roomId, [host, ...voters]);

    const votesIn = (ms: RoomEvent[][]): number => ms.flat().filter((e) => e.type === 'poll.voted').length;
    for (const [i, m] of messages.entries()) {
      expect(votesIn(m), `votes sent to voter ${i}`).toBe(VOTERS);
      expect(m.length, `messages to voter ${i}`).toBeLessThan(VOTERS / 2);
      expectOnceInOrder(m.flat().map((e) => e.seq));
      // Each voter's own ballot in the clear, nobody else's.
      const mine = voters[i]?.joined?.participantId;
      for (const e of m.flat()) if (e.type === 'poll.voted') expect(e.data.choices !== undefined, `choices of ${e.data.voterId} at voter ${i}`).toBe(e.data.voterId === mine);
      // The others' votes travel compact: as full events (seq, time, actor, hash, data) a vote
      // is ~240 bytes of JSON; a member's share of the storm stays under 100 bytes a vote.
      const sent = (bytes[i] ?? []).reduce((a, b) => a + b, 0);
      expect(sent, `bytes sent to voter ${i}`).toBeLessThan(VOTERS * 100);
    }
    expect(hostMessages.length).toBeLessThan(VOTERS / 2);
    expect(host.room.polls[pollId]?.voted).toHaveLength(VOTERS);

    // The close is not held back for the tally: it and the publication reach every voter.
    await host.command('poll:close', { pollId });
    const published = await host.command('poll:publish', { pollId });
    await until(
      () => voters.every((v) => v.room.seq >= published),
      () => 'the results at every voter',
    );
    for (const v of voters) expect(v.room.polls[pollId]?.result).toMatchObject({ votes: VOTERS, counts: [VOTERS / 2, VOTERS / 2, 0] });
    await everyoneHoldsTheServersRoom(roomId, [host, ...voters]);
  });

  test('a member who resumes right after a storm, while its last votes may still wait to go out, gets every event and folds each once, in order', async () => {
    const { roomId, host, voters, invites, pollId } = await votingRoom();
    const away = voters[0];
    const awayInvite = invites[0];
    if (!away?.joined || awayInvite === undefined) throw new Error('no first voter');
    const { resumeToken, participantId } = away.joined;
    const lastSeq = away.room.seq;
    away.socket.disconnect();
    await host.waitForRoom((s) => s.participants[participantId]?.online === false);

    const back = await connect();
    back.room = away.room;
    const sent: number[] = [];
    back.socket.on('room:events', (message) => sent.push(...unpackEvents(message).map((e) => e.seq)));
    const others = voters.slice(1);
    // One vote in the quiet room goes out at once; the storm's votes right after it wait for
    // the tally's interval, and the member resumes as soon as they are acked (durable). Its
    // return (participant.reconnected) is not a vote, so the waiting votes go out with it.
    const [first, ...rest] = others;
    if (!first) throw new Error('no second voter');
    await first.command('poll:vote', { pollId, choices: [0] });
    await Promise.all(rest.map((v, i) => v.command('poll:vote', { pollId, choices: [(i + 1) % 2] })));
    const rejoined = await back.join(awayInvite, undefined, { resumeToken, lastSeq });
    expect(rejoined.participantId).toBe(participantId);
    // Its own vote after the resume, in the clear to it alone.
    await back.command('poll:vote', { pollId, choices: [1] });
    await everyoneHoldsTheServersRoom(roomId, [host, back, ...others]);

    // Nothing lost: every seq since it left was sent to it, in the join's answer or after; and
    // it folded each exactly once, in order (a batch overlapping the answer is skipped).
    const answered = rejoined.room.kind === 'events' ? rejoined.room.events.map((e) => e.seq) : [];
    expect(rejoined.room.kind).toBe('events');
    const since = Array.from({ length: back.room.seq - lastSeq }, (_, i) => lastSeq + 1 + i);
    expect(new Set([...answered, ...sent])).toEqual(new Set(since));
    expect(back.received.map((e) => e.seq)).toEqual(since);
    expect(back.room.polls[pollId]?.voted).toHaveLength(VOTERS);
    expect(back.room.polls[pollId]?.choices).toEqual({ [participantId]: [1] });
  });
});
