/**
 * The contract every EventStore passes (DESIGN.md, "Storage and scale"): the SQLite store runs
 * it today, a Redis store runs the identical suite later. Only the EventStore interface is used.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NewRoomEvent, RoomEvent } from '../../signaling/room/events.js';
import type { EventStore } from './EventStore.js';
import { hashEvent } from './hashChain.js';

/** A fresh, empty store for one test. */
export type StoreUnderTest = {
  store: EventStore;
  /** Opens another store over the same data, for stores that persist; the test closes it. */
  reopen?: () => Promise<EventStore>;
  /** Closes the store (again, if the test did) and removes its data. */
  cleanup: () => Promise<void>;
};

const T0 = 1_700_000_000_000;

/** Numbers and hash-chains `drafts` after the events of `log`, as the server does. */
export function chain(log: readonly RoomEvent[], drafts: readonly NewRoomEvent[], actor = 'host', at?: number): RoomEvent[] {
  const last = log.at(-1);
  let prev = last?.hash ?? '';
  return drafts.map((draft, i) => {
    const seq = (last?.seq ?? 0) + i + 1;
    const event = { ...draft, seq, at: at ?? T0 + seq * 1000, actor };
    prev = hashEvent(prev, event);
    return { ...event, hash: prev };
  });
}

const arrive = (participantId: string, name = '张三'): NewRoomEvent => ({
  type: 'participant.arrived',
  data: { participantId, inviteId: `inv-${participantId}`, name, role: 'member', venue: '城区', sector: '居民代表', admitted: true },
});
const raise = (participantId: string, note = '关于加装电梯'): NewRoomEvent => ({
  type: 'queue.handRaised',
  data: { participantId, type: 'statement', note },
});
const voted = (pollId: string, voterId: string): NewRoomEvent => ({ type: 'poll.voted', data: { pollId, voterId } });
const paused: NewRoomEvent = { type: 'floor.paused', data: {} };

/** Registers the whole EventStore contract for one implementation. */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: { persistent: boolean },
): void {
  describe(`${name} passes the EventStore contract`, () => {
    let sut: StoreUnderTest;
    let store: EventStore;
    beforeEach(async () => {
      sut = await makeStore();
      store = sut.store;
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    /** Appends `drafts` to a room at its current end; answers the whole log. */
    async function grow(roomId: string, drafts: readonly NewRoomEvent[], at?: number): Promise<RoomEvent[]> {
      const log = await store.read(roomId);
      const events = chain(log, drafts, 'host', at);
      expect(await store.append(roomId, log.length, events)).toEqual({ ok: true });
      return [...log, ...events];
    }

    describe('append() and read()', () => {
      test('append() to an empty room with expectedSeq 0 succeeds and lastSeq() follows', async () => {
        expect(await store.lastSeq('r1')).toBe(0);
        expect(await store.append('r1', 0, chain([], [arrive('m1'), raise('m1')]))).toEqual({ ok: true });
        expect(await store.lastSeq('r1')).toBe(2);
      });

      test('read() gives back equal events: Chinese text, empty data, hashes', async () => {
        const events = chain([], [arrive('m1', '王小明'), raise('m1', '关于加装电梯：费用如何分摊？🛗'), paused, voted('p1', 'm1')]);
        await store.append('r1', 0, events);
        const back = await store.read('r1');
        expect(back).toEqual(events);
        expect(back.map((e) => e.hash)).toEqual(events.map((e) => e.hash));
      });

      test('read() honours afterSeq and limit', async () => {
        const log = await grow('r1', [arrive('m1'), raise('m1'), arrive('m2'), raise('m2'), paused]);
        expect(await store.read('r1', 2)).toEqual(log.slice(2));
        expect(await store.read('r1', 1, 2)).toEqual(log.slice(1, 3));
        expect(await store.read('r1', 0, 0)).toEqual([]);
        expect(await store.read('r1', 5)).toEqual([]);
        expect(await store.read('nowhere')).toEqual([]);
      });

      test('append() with a stale or future expectedSeq answers conflict with the actual seq and writes nothing', async () => {
        const log = await grow('r1', [arrive('m1'), raise('m1')]);
        const stale = chain(log.slice(0, 1), [raise('m2')]);
        expect(await store.append('r1', 1, stale)).toEqual({ ok: false, reason: 'conflict', actualSeq: 2 });
        const ahead = chain([...log, ...chain(log, [paused])], [paused]);
        expect(await store.append('r1', 3, ahead)).toEqual({ ok: false, reason: 'conflict', actualSeq: 2 });
        expect(await store.read('r1')).toEqual(log);
      });

      test('two concurrent appends with the same expectedSeq: exactly one succeeds', async () => {
        const a = chain([], [arrive('a1'), raise('a1')]);
        const b = chain([], [arrive('b1')]);
        const results = await Promise.all([store.append('r1', 0, a), store.append('r1', 0, b)]);
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const won = results[0]?.ok ? a : b;
        expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'conflict', actualSeq: won.length });
        expect(await store.read('r1')).toEqual(won);
      });

      test('append() rejects with TypeError when events are not numbered expectedSeq+1, +2, …', async () => {
        const log = await grow('r1', [arrive('m1')]);
        const next = chain(log, [raise('m1'), paused]);
        const [first, second] = next;
        if (!first || !second) throw new Error('chain() made too few events');
        await expect(store.append('r1', 1, [second])).rejects.toThrow(TypeError);
        await expect(store.append('r1', 1, [first, first])).rejects.toThrow(TypeError);
        await expect(store.append('r1', 0, next)).rejects.toThrow(TypeError);
        await expect(store.append('r1', -1, [])).rejects.toThrow(TypeError);
        expect(await store.read('r1')).toEqual(log);
      });

      test('an append of no events checks expectedSeq and records its command', async () => {
        await grow('r1', [arrive('m1')]);
        expect(await store.append('r1', 0, [], { commandId: 'c1', actor: 'm1' })).toMatchObject({ reason: 'conflict' });
        expect(await store.append('r1', 1, [], { commandId: 'c1', actor: 'm1' })).toEqual({ ok: true });
        expect(await store.commandResult('r1', 'm1', 'c1')).toEqual([]);
        expect(await store.lastSeq('r1')).toBe(1);
      });
    });

    describe('command ids', () => {
      test('a repeated (actor, commandId) answers duplicate with the first seqs and writes nothing', async () => {
        const log = await grow('r1', [arrive('m1')]);
        const first = chain(log, [raise('m1')], 'm1');
        expect(await store.append('r1', 1, first, { commandId: 'c1', actor: 'm1' })).toEqual({ ok: true });
        expect(await store.commandResult('r1', 'm1', 'c1')).toEqual([2]);
        const again = chain([...log, ...first], [raise('m1', '再说一次')], 'm1');
        expect(await store.append('r1', 2, again, { commandId: 'c1', actor: 'm1' })).toEqual({ ok: false, reason: 'duplicate', seqs: [2] });
        expect(await store.read('r1')).toEqual([...log, ...first]);
      });

      test('the same commandId from another actor, or in another room, is independent', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2')]);
        const byM1 = chain(log, [raise('m1')], 'm1');
        await store.append('r1', 2, byM1, { commandId: 'c1', actor: 'm1' });
        const byM2 = chain([...log, ...byM1], [raise('m2')], 'm2');
        expect(await store.append('r1', 3, byM2, { commandId: 'c1', actor: 'm2' })).toEqual({ ok: true });
        expect(await store.commandResult('r1', 'm2', 'c1')).toEqual([4]);
        expect(await store.append('r2', 0, chain([], [raise('m1')], 'm1'), { commandId: 'c1', actor: 'm1' })).toEqual({ ok: true });
        expect(await store.commandResult('r2', 'm1', 'c1')).toEqual([1]);
        expect(await store.commandResult('r1', 'm1', 'unknown')).toBeUndefined();
      });

      test('a conflicting append does not record its command, so the retry goes through', async () => {
        const log = await grow('r1', [arrive('m1')]);
        const stale = chain([], [raise('m1')], 'm1');
        expect(await store.append('r1', 0, stale, { commandId: 'c1', actor: 'm1' })).toMatchObject({ reason: 'conflict' });
        expect(await store.commandResult('r1', 'm1', 'c1')).toBeUndefined();
        expect(await store.append('r1', 1, chain(log, [raise('m1')], 'm1'), { commandId: 'c1', actor: 'm1' })).toEqual({ ok: true });
      });

      test('append() rejects with TypeError on a commandId without its actor', async () => {
        await expect(store.append('r1', 0, chain([], [paused]), { commandId: 'c1' })).rejects.toThrow(TypeError);
        expect(await store.lastSeq('r1')).toBe(0);
      });
    });

    describe('appendBatch() (group commit)', () => {
      /** The events of several commands, numbered one after the other after `log`. */
      function chained(log: readonly RoomEvent[], ...commands: Array<{ drafts: readonly NewRoomEvent[]; actor: string }>): RoomEvent[][] {
        let sofar = [...log];
        return commands.map(({ drafts, actor }) => {
          const events = chain(sofar, drafts, actor);
          sofar = [...sofar, ...events];
          return events;
        });
      }

      test('numbers the entries on from expectedSeq, one after the other, and records each command with its own seqs', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2'), arrive('m3')]);
        const [one = [], none = [], three = []] = chained(log, { drafts: [raise('m1'), paused], actor: 'm1' }, { drafts: [], actor: 'm2' }, { drafts: [raise('m3')], actor: 'm3' });
        const result = await store.appendBatch('r1', 3, [
          { events: one, options: { commandId: 'c1', actor: 'm1' } },
          { events: none, options: { commandId: 'c2', actor: 'm2' } },
          { events: three, options: { commandId: 'c3', actor: 'm3' } },
        ]);
        expect(result).toEqual({ ok: true });
        expect(await store.read('r1')).toEqual([...log, ...one, ...three]);
        expect(await store.lastSeq('r1')).toBe(6);
        expect(await store.commandResult('r1', 'm1', 'c1')).toEqual([4, 5]);
        expect(await store.commandResult('r1', 'm2', 'c2')).toEqual([]);
        expect(await store.commandResult('r1', 'm3', 'c3')).toEqual([6]);
        // The next write, single or batched, goes on after the batch.
        expect(await store.append('r1', 5, chain([...log, ...one], [paused]))).toEqual({ ok: false, reason: 'conflict', actualSeq: 6 });
        expect(await store.appendBatch('r1', 6, [{ events: chain([...log, ...one, ...three], [paused]) }])).toEqual({ ok: true });
        expect(await store.lastSeq('r1')).toBe(7);
      });

      test('a batch that makes a room lists it, and an empty batch writes nothing', async () => {
        expect(await store.appendBatch('r1', 0, [])).toEqual({ ok: true });
        expect(await store.rooms()).toEqual([]);
        const [a = [], b = []] = chained([], { drafts: [arrive('m1')], actor: 'host' }, { drafts: [arrive('m2')], actor: 'host' });
        expect(await store.appendBatch('r1', 0, [{ events: a }, { events: b }])).toEqual({ ok: true });
        expect(await store.rooms()).toEqual(['r1']);
        expect(await store.read('r1')).toEqual([...a, ...b]);
      });

      test('a batch that conflicts writes nothing at all: no event, no command, no ballot', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2')]);
        const stale = log.slice(0, 1);
        const [v1 = [], v2 = []] = chained(stale, { drafts: [voted('p1', 'm1')], actor: 'm1' }, { drafts: [voted('p1', 'm2')], actor: 'm2' });
        const result = await store.appendBatch('r1', 1, [
          { events: v1, options: { commandId: 'v1', actor: 'm1', ballot: { pollId: 'p1', entry: 'sealed:1' } } },
          { events: v2, options: { commandId: 'v2', actor: 'm2', ballot: { pollId: 'p1', entry: 'sealed:2' } } },
        ]);
        expect(result).toEqual({ ok: false, reason: 'conflict', actualSeq: 2 });
        expect(await store.read('r1')).toEqual(log);
        expect(await store.commandResult('r1', 'm1', 'v1')).toBeUndefined();
        expect(await store.commandResult('r1', 'm2', 'v2')).toBeUndefined();
        expect(await store.ballots('r1', 'p1')).toEqual([]);
      });

      test('two concurrent batches with the same expectedSeq: exactly one is written, whole', async () => {
        const log = await grow('r1', [arrive('m1')]);
        const a = chained(log, { drafts: [raise('m1')], actor: 'm1' }, { drafts: [paused], actor: 'host' });
        const b = chained(log, { drafts: [voted('p1', 'm1')], actor: 'm1' }, { drafts: [paused, paused], actor: 'host' });
        const results = await Promise.all([
          store.appendBatch('r1', 1, a.map((events, i) => ({ events, options: { commandId: `a${i}`, actor: 'x' } }))),
          store.appendBatch('r1', 1, b.map((events, i) => ({ events, options: { commandId: `b${i}`, actor: 'x' } }))),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const [won, lost, prefix] = results[0]?.ok ? [a, b, 'b'] : [b, a, 'a'];
        expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'conflict', actualSeq: 1 + won.flat().length });
        expect(await store.read('r1')).toEqual([...log, ...won.flat()]);
        for (let i = 0; i < lost.length; i++) expect(await store.commandResult('r1', 'x', `${prefix}${i}`)).toBeUndefined();
      });

      test('commands recorded before (in earlier batches or appends): nothing is written, and every one is named with its first seqs', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2'), arrive('m3')]);
        const [first = [], second = []] = chained(log, { drafts: [raise('m1')], actor: 'm1' }, { drafts: [raise('m3'), paused], actor: 'm3' });
        expect(await store.append('r1', 3, first, { commandId: 'c1', actor: 'm1' })).toEqual({ ok: true });
        expect(await store.appendBatch('r1', 4, [{ events: second, options: { commandId: 'c3', actor: 'm3' } }])).toEqual({ ok: true });
        const written = [...log, ...first, ...second];

        /** The repeats of c1 and c3 around a new command c2, decided after `base`. */
        const batchAfter = (base: readonly RoomEvent[]) => {
          const [again1 = [], fresh = [], again3 = []] = chained(
            base,
            { drafts: [raise('m1', '再说一次')], actor: 'm1' },
            { drafts: [raise('m2')], actor: 'm2' },
            { drafts: [paused], actor: 'm3' },
          );
          return [
            { events: again1, options: { commandId: 'c1', actor: 'm1' } },
            { events: fresh, options: { commandId: 'c2', actor: 'm2', ballot: { pollId: 'p1', entry: 'sealed:2' } } },
            { events: again3, options: { commandId: 'c3', actor: 'm3' } },
          ];
        };
        const duplicate = { ok: false, reason: 'duplicate', duplicates: [{ index: 0, seqs: [4] }, { index: 2, seqs: [5, 6] }] };
        expect(await store.appendBatch('r1', 6, batchAfter(written))).toEqual(duplicate);
        // Recognised before the last seq is compared, as a single append's repeat is.
        expect(await store.appendBatch('r1', 2, batchAfter(written.slice(0, 2)))).toEqual(duplicate);
        expect(await store.read('r1')).toEqual(written);
        expect(await store.commandResult('r1', 'm2', 'c2')).toBeUndefined();
        expect(await store.ballots('r1', 'p1')).toEqual([]);

        // Without the repeats the rest goes in; a single append of a batched command is a repeat too.
        const [alone = []] = chained(written, { drafts: [raise('m2')], actor: 'm2' });
        expect(await store.appendBatch('r1', 6, [{ events: alone, options: { commandId: 'c2', actor: 'm2' } }])).toEqual({ ok: true });
        expect(await store.append('r1', 7, chain([...written, ...alone], [paused], 'm3'), { commandId: 'c3', actor: 'm3' })).toEqual({ ok: false, reason: 'duplicate', seqs: [5, 6] });
      });

      test('a batch naming one command twice, or numbered wrongly across its entries, is refused with TypeError and writes nothing', async () => {
        const log = await grow('r1', [arrive('m1')]);
        const [a = [], b = []] = chained(log, { drafts: [raise('m1')], actor: 'm1' }, { drafts: [paused], actor: 'm1' });
        await expect(store.appendBatch('r1', 1, [
          { events: a, options: { commandId: 'c1', actor: 'm1' } },
          { events: b, options: { commandId: 'c1', actor: 'm1' } },
        ])).rejects.toThrow(TypeError);
        // Each entry numbered as if it came first.
        await expect(store.appendBatch('r1', 1, [{ events: a }, { events: chain(log, [paused]) }])).rejects.toThrow(TypeError);
        await expect(store.appendBatch('r1', 1, [{ events: b }, { events: a }])).rejects.toThrow(TypeError);
        await expect(store.appendBatch('r1', 1, [{ events: a, options: { commandId: 'c1' } }])).rejects.toThrow(TypeError);
        expect(await store.read('r1')).toEqual(log);
        expect(await store.commandResult('r1', 'm1', 'c1')).toBeUndefined();
      });

      test('each entry puts its ballot in its box; a refill later in the batch empties what came before it', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2'), arrive('m3')]);
        const [v1 = [], v2 = [], v3 = [], close = []] = chained(
          log,
          { drafts: [voted('p1', 'm1')], actor: 'm1' },
          { drafts: [voted('p2', 'm2')], actor: 'm2' },
          { drafts: [voted('p1', 'm3')], actor: 'm3' },
          { drafts: [{ type: 'poll.closed', data: { pollId: 'p1' } }], actor: 'host' },
        );
        expect(await store.appendBatch('r1', 3, [
          { events: v1, options: { ballot: { pollId: 'p1', entry: 'sealed:1' } } },
          { events: v2, options: { ballot: { pollId: 'p2', entry: 'sealed:2' } } },
          { events: v3, options: { ballot: { pollId: 'p1', entry: 'sealed:3' } } },
        ])).toEqual({ ok: true });
        expect([...(await store.ballots('r1', 'p1'))].sort()).toEqual(['sealed:1', 'sealed:3']);
        expect(await store.ballots('r1', 'p2')).toEqual(['sealed:2']);

        const all = [...log, ...v1, ...v2, ...v3];
        const [v4 = [], closing = []] = chained(all, { drafts: [voted('p1', 'm2')], actor: 'm2' }, { drafts: close.map(({ type, data }) => ({ type, data }) as NewRoomEvent), actor: 'host' });
        expect(await store.appendBatch('r1', 6, [
          { events: v4, options: { ballot: { pollId: 'p1', entry: 'sealed:4' } } },
          { events: closing, options: { refillBallots: [{ pollId: 'p1', entries: ['open:a', 'open:b', 'open:c'] }] } },
        ])).toEqual({ ok: true });
        expect([...(await store.ballots('r1', 'p1'))].sort()).toEqual(['open:a', 'open:b', 'open:c']);
        expect(await store.ballots('r1', 'p2')).toEqual(['sealed:2']);
        expect(await store.read('r1')).toEqual([...all, ...v4, ...closing]);
      });
    });

    describe('secret ballots', () => {
      // Entries are opaque to the store (server/rooms/BallotBox.ts seals and opens them).
      const yes = { pollId: 'p1', entry: 'sealed:yes' };
      const no = { pollId: 'p1', entry: 'sealed:no, 反对：噪音扰民' };

      test('ballots() holds exactly the entries of that poll', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2'), arrive('m3')]);
        const v1 = chain(log, [voted('p1', 'm1')], 'm1');
        const v2 = chain([...log, ...v1], [voted('p1', 'm2')], 'm2');
        const v3 = chain([...log, ...v1, ...v2], [voted('p2', 'm3')], 'm3');
        await store.append('r1', 3, v1, { commandId: 'v1', actor: 'm1', ballot: yes });
        await store.append('r1', 4, v2, { commandId: 'v2', actor: 'm2', ballot: no });
        await store.append('r1', 5, v3, { commandId: 'v3', actor: 'm3', ballot: { pollId: 'p2', entry: 'sealed:0,2' } });
        await store.append('r2', 0, chain([], [voted('p1', 'x')]), { ballot: { pollId: 'p1', entry: 'sealed:other room' } });

        expect([...(await store.ballots('r1', 'p1'))].sort()).toEqual([yes.entry, no.entry].sort());
        expect(await store.ballots('r1', 'p2')).toEqual(['sealed:0,2']);
        expect(await store.ballots('r1', 'p9')).toEqual([]);
      });

      test('a ballot is stored atomically with its append: none on conflict or duplicate', async () => {
        const log = await grow('r1', [arrive('m1')]);
        expect(await store.append('r1', 0, chain([], [voted('p1', 'm1')]), { ballot: yes })).toMatchObject({ reason: 'conflict' });
        expect(await store.ballots('r1', 'p1')).toEqual([]);
        const vote = chain(log, [voted('p1', 'm1')], 'm1');
        await store.append('r1', 1, vote, { commandId: 'v', actor: 'm1', ballot: yes });
        const retry = chain([...log, ...vote], [voted('p1', 'm1')], 'm1');
        expect(await store.append('r1', 2, retry, { commandId: 'v', actor: 'm1', ballot: yes })).toMatchObject({ reason: 'duplicate' });
        expect(await store.ballots('r1', 'p1')).toEqual([yes.entry]);
      });

      test('ballots() does not come back in voting order (it would link ballots to voters)', async () => {
        let log: RoomEvent[] = [];
        for (let i = 0; i < 20; i++) {
          const vote = chain(log, [voted('p1', `m${i}`)], `m${i}`);
          await store.append('r1', log.length, vote, { ballot: { pollId: 'p1', entry: String(i) } });
          log = [...log, ...vote];
        }
        const order = await store.ballots('r1', 'p1');
        const voting = log.map((_, i) => String(i));
        expect([...order].sort()).toEqual([...voting].sort());
        // A random order equals either of these with probability 2/20!.
        expect(order).not.toEqual(voting);
        expect(order).not.toEqual([...voting].reverse());
      });

      test('refillBallots empties a box and fills it again, atomically with the events, and only that box', async () => {
        const log = await grow('r1', [arrive('m1'), arrive('m2')]);
        const v1 = chain(log, [voted('p1', 'm1')], 'm1');
        await store.append('r1', 2, v1, { ballot: { pollId: 'p1', entry: 'sealed:1' } });
        const v2 = chain([...log, ...v1], [voted('p2', 'm2')], 'm2');
        await store.append('r1', 3, v2, { ballot: { pollId: 'p2', entry: 'sealed:2' } });
        const all = [...log, ...v1, ...v2];
        const close = chain(all, [{ type: 'poll.closed', data: { pollId: 'p1' } }]);
        // A refill that loses the race (decided before the second vote) changes nothing.
        const stale = chain([...log, ...v1], [{ type: 'poll.closed', data: { pollId: 'p1' } }]);
        expect(await store.append('r1', 3, stale, { refillBallots: [{ pollId: 'p1', entries: ['open:a'] }] })).toMatchObject({ reason: 'conflict' });
        expect(await store.ballots('r1', 'p1')).toEqual(['sealed:1']);
        expect(await store.append('r1', 4, close, { refillBallots: [{ pollId: 'p1', entries: ['open:a', 'open:b'] }] })).toEqual({ ok: true });
        expect([...(await store.ballots('r1', 'p1'))].sort()).toEqual(['open:a', 'open:b']);
        expect(await store.ballots('r1', 'p2')).toEqual(['sealed:2']);
        await store.compact();
        expect(await store.read('r1')).toEqual([...all, ...close]);
      });
    });

    describe('snapshots and rooms', () => {
      test('loadSnapshot() answers the latest saveSnapshot(), per room', async () => {
        expect(await store.loadSnapshot('r1')).toBeUndefined();
        await store.saveSnapshot('r1', { seq: 200, state: '{"title":"老旧小区改造"}' });
        await store.saveSnapshot('r1', { seq: 400, state: '{"title":"第二次"}' });
        await store.saveSnapshot('r2', { seq: 5, state: '{}' });
        expect(await store.loadSnapshot('r1')).toEqual({ seq: 400, state: '{"title":"第二次"}' });
        expect(await store.loadSnapshot('r2')).toEqual({ seq: 5, state: '{}' });
      });

      test('rooms are isolated: each has its own seqs, log and last seq', async () => {
        const one = await grow('r1', [arrive('m1'), raise('m1')]);
        const two = await grow('r2', [arrive('m9')]);
        expect(await store.read('r1')).toEqual(one);
        expect(await store.read('r2')).toEqual(two);
        expect(await store.lastSeq('r2')).toBe(1);
        expect(await store.append('r2', 2, chain(one, [paused]))).toEqual({ ok: false, reason: 'conflict', actualSeq: 1 });
      });

      test('rooms() lists every room once, oldest first event first', async () => {
        expect(await store.rooms()).toEqual([]);
        await grow('c', [arrive('m1')], T0 + 3000);
        await grow('a', [arrive('m1')], T0 + 1000);
        await grow('b', [arrive('m1')], T0 + 2000);
        await grow('c', [raise('m1')], T0 + 500);
        expect(await store.rooms()).toEqual(['a', 'b', 'c']);
      });
    });

    describe('lifetime', () => {
      test('close() twice is fine, and a closed store rejects calls', async () => {
        await store.close();
        await store.close();
        await expect(store.lastSeq('r1')).rejects.toThrow();
      });

      // Registered only for stores that persist (in-memory ones have nothing to reopen).
      if (options.persistent) {
        test('everything survives closing and reopening the same data', async () => {
          const { reopen } = sut;
          if (!reopen) throw new Error('a persistent store under test must provide reopen()');
          const log = await grow('r1', [arrive('m1', '李四')]);
          const vote = chain(log, [voted('p1', 'm1')], 'm1');
          await store.append('r1', 1, vote, { commandId: 'c1', actor: 'm1', ballot: { pollId: 'p1', entry: 'sealed:理由' } });
          await store.saveSnapshot('r1', { seq: 1, state: '{"seq":1}' });
          await store.close();

          const again = await reopen();
          try {
            expect(await again.read('r1')).toEqual([...log, ...vote]);
            expect(await again.lastSeq('r1')).toBe(2);
            expect(await again.commandResult('r1', 'm1', 'c1')).toEqual([2]);
            expect(await again.ballots('r1', 'p1')).toEqual(['sealed:理由']);
            expect(await again.loadSnapshot('r1')).toEqual({ seq: 1, state: '{"seq":1}' });
            expect(await again.rooms()).toEqual(['r1']);
            expect(await again.append('r1', 1, chain(log, [paused]))).toEqual({ ok: false, reason: 'conflict', actualSeq: 2 });
          } finally {
            await again.close();
          }
        });
      }
    });
  });
}
