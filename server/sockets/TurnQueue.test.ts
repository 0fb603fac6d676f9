/**
 * TurnQueue: callers go on `perTurn` at a time, one turn of the event loop after another, in
 * the order they came.
 */
import { describe, expect, test } from 'vitest';
import { TurnQueue } from './TurnQueue.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnQueue', () => {
  test('turn() lets at most perTurn callers go on in one turn of the event loop, in order', async () => {
    const queue = new TurnQueue(3);
    const went: number[] = [];
    const all = Array.from({ length: 8 }, (_, i) => queue.turn().then(() => went.push(i)));
    expect(queue.waiting).toBe(8);
    const afterEachTurn: number[][] = [];
    for (let turn = 0; turn < 3; turn++) {
      await nextTurn();
      afterEachTurn.push([went.length, queue.waiting]);
    }
    expect(afterEachTurn).toEqual([
      [3, 5],
      [6, 2],
      [8, 0],
    ]);
    await Promise.all(all);
    expect(went).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a caller after the queue emptied goes on in the next turn', async () => {
    const queue = new TurnQueue(2);
    await queue.turn();
    let went = false;
    const later = queue.turn().then(() => {
      went = true;
    });
    expect(went).toBe(false);
    await nextTurn();
    expect(went).toBe(true);
    await later;
  });

  test('perTurn must be a positive integer', () => {
    expect(() => new TurnQueue(0)).toThrow(TypeError);
    expect(() => new TurnQueue(1.5)).toThrow(TypeError);
  });
});
