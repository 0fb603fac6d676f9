import { describe, expect, test } from 'vitest';
import { classifyNetwork, GOOD_LATENCY_MS, measureNetwork } from './networkCheck.js';

describe('classifyNetwork()', () => {
  test('is down when no round trip came back', () => {
    expect(classifyNetwork([null, null, null])).toEqual({ state: 'down' });
    expect(classifyNetwork([])).toEqual({ state: 'down' });
  });

  test('is good with a low median and nothing lost', () => {
    expect(classifyNetwork([40, 12, 900, 20])).toEqual({ state: 'good', latencyMs: 30, failed: 0 });
  });

  test('is slow with a high median or any request lost', () => {
    expect(classifyNetwork([GOOD_LATENCY_MS + 100, GOOD_LATENCY_MS + 200, 20])).toEqual({ state: 'slow', latencyMs: GOOD_LATENCY_MS + 100, failed: 0 });
    expect(classifyNetwork([20, null, 30])).toEqual({ state: 'slow', latencyMs: 25, failed: 1 });
  });
});

describe('measureNetwork()', () => {
  test('times each request and counts failures and error answers as lost', async () => {
    let clock = 0;
    const answers: Array<() => Promise<Response>> = [
      async () => {
        clock += 30;
        return new Response('{}');
      },
      async () => {
        clock += 10;
        throw new TypeError('fetch failed');
      },
      async () => {
        clock += 50;
        return new Response('no', { status: 503 });
      },
      async () => {
        clock += 40;
        return new Response('{}');
      },
    ];
    const urls: string[] = [];
    const result = await measureNetwork('/healthz', 4, {
      now: () => clock,
      fetch: (url) => {
        urls.push(url);
        const next = answers.shift();
        if (next === undefined) throw new Error('too many requests');
        return next();
      },
    });
    expect(urls).toEqual(['/healthz', '/healthz', '/healthz', '/healthz']);
    expect(result).toEqual({ state: 'slow', latencyMs: 35, failed: 2 });
  });
});
