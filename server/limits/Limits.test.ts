/**
 * A connection's event budget (EventBudget): its points per window from the first event, then
 * RATE_LIMITED with the time until the window ends, then FloodError for a client that ignores
 * the answer; a new window starts afresh. The clock is injected.
 */
import { describe, expect, test } from 'vitest';
import { RateLimitedError } from '../../signaling/errors.js';
import { EventBudget, FloodError } from './Limits.js';

describe('EventBudget', () => {
  test('spend() lets the budget through, then says RATE_LIMITED until the window ends, then FloodError past three times the budget', () => {
    let now = 1000;
    const budget = new EventBudget(5, () => now);
    for (let i = 0; i < 5; i++) budget.spend();
    now += 4000;
    let refusal: unknown;
    try {
      budget.spend();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 6000 });
    // 6 spent so far: up to 15 it is told to wait, the 16th is a flood.
    for (let i = 0; i < 9; i++) expect(() => budget.spend()).toThrow(RateLimitedError);
    expect(() => budget.spend()).toThrow(FloodError);
  });

  test('a new window starts 10 s after the first event of the last one, with the whole budget', () => {
    let now = 0;
    const budget = new EventBudget(2, () => now);
    budget.spend();
    now = 9_000;
    budget.spend();
    expect(() => budget.spend()).toThrow(RateLimitedError);
    now = 10_000;
    budget.spend();
    budget.spend();
    expect(() => budget.spend()).toThrow(RateLimitedError);
  });
});
