/**
 * Known answers for the hash chain. The expected hashes were computed apart from this code (SHA-256
 * over the previous hash and the canonical JSON text written out below), so a change in what
 * the hash covers, or in how it is written, fails here.
 */
import { describe, expect, test } from 'vitest';
import type { RoomEvent } from '../../signaling/room/events.js';
import { findChainBreak, hashEvent } from './hashChain.js';

// {"actor":"system","at":1764662400000,"data":{"info":{"topic":"加装电梯"}},"seq":1,"type":"room.created"}
const first: Omit<RoomEvent, 'hash'> = { seq: 1, at: 1764662400000, actor: 'system', type: 'room.created', data: { info: { topic: '加装电梯' } } } as unknown as Omit<RoomEvent, 'hash'>;
const FIRST_HASH = 'f716e5581aac4466ba3c51c0ecc66ec936bfd4c61d3b11251666a5a5a2227462';
// {"actor":"host","at":1764662401000,"data":{"participantIds":["m1"]},"seq":2,"type":"participant.admitted"}
const second: Omit<RoomEvent, 'hash'> = { seq: 2, at: 1764662401000, actor: 'host', type: 'participant.admitted', data: { participantIds: ['m1'] } };
const SECOND_HASH = '28fe7f4d7691d691d6d2442c6de77d46d7846daf6e9e31104360432247a618b9';

describe('hashEvent()', () => {
  test('gives the known answers for a first event and the one after it', () => {
    expect(hashEvent('', first)).toBe(FIRST_HASH);
    expect(hashEvent(FIRST_HASH, second)).toBe(SECOND_HASH);
  });

  test.each([
    ['seq', { seq: 2 }, '5b92ce8a722f1579796d3963ddb31b95ac77e601c1aa068fe5ec29fb7660c2e5'],
    ['at', { at: 1764662400001 }, '89a3b122206f259ab2c70c8926c6387a0d0fdf79074cef2b25da636d90129e59'],
    ['actor', { actor: 'host' }, '6e00899389c99eadc430ec7dc8886aa1e3e931d5bcc88f23fe030efa03e3d4db'],
    ['type', { type: 'room.ended', data: { info: { topic: '加装电梯' } } }, '6136010409a7cbcf30b9c6077aa0bfc0a8a71a476850870fc15fcd2fb6c34c5f'],
    ['data', { data: { info: { topic: '加装电梯 ' } } }, '4eebad0549f87402429fbe5859da43a1ffe0606ff53ceca58afab7f3e0f89f2e'],
  ])('covers %s: one changed field gives its own known answer', (_field, change, expected) => {
    const changed = { ...first, ...change } as Omit<RoomEvent, 'hash'>;
    expect(hashEvent('', changed)).toBe(expected);
    expect(expected).not.toBe(FIRST_HASH);
  });
});

describe('findChainBreak()', () => {
  const log: RoomEvent[] = [
    { ...first, hash: FIRST_HASH } as RoomEvent,
    { ...second, hash: SECOND_HASH } as RoomEvent,
  ];

  test('a whole log has no break', () => {
    expect(findChainBreak(log)).toBeNull();
    expect(findChainBreak([])).toBeNull();
  });

  test('names the first event whose content, place or predecessor was changed', () => {
    const edited = [log[0], { ...log[1], data: { participantIds: ['m2'] } }] as RoomEvent[];
    expect(findChainBreak(edited)).toMatchObject({ seq: 2 });
    const firstEdited = [{ ...log[0], at: 1 }, log[1]] as RoomEvent[];
    expect(findChainBreak(firstEdited)).toMatchObject({ seq: 1 });
    // The second event alone, renumbered: it no longer follows from anything.
    expect(findChainBreak([{ ...log[1], seq: 1 } as RoomEvent])).toMatchObject({ seq: 1 });
    expect(findChainBreak([log[1] as RoomEvent])).toMatchObject({ seq: 2, reason: expect.stringMatching(/seq 2 where 1/) });
  });
});
