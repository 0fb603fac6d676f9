import { describe, expect, test, vi } from 'vitest';
import { decideWatchMode, storedWatchMode, storeWatchMode, type RealtimeStatus, type WatchDecision, type WatchMode } from './watchMode.js';

/** Every combination, written out as the page should behave (not derived from the code's switch). */
const EXPECTED: Array<[WatchMode, RealtimeStatus, WatchDecision]> = [
  ['realtime', 'idle', { mode: 'realtime', fallback: null, offer: 'smooth' }],
  ['realtime', 'connecting', { mode: 'realtime', fallback: null, offer: 'smooth' }],
  ['realtime', 'playing', { mode: 'realtime', fallback: null, offer: 'smooth' }],
  ['realtime', 'full', { mode: 'smooth', fallback: 'full', offer: 'realtime' }],
  ['realtime', 'failed', { mode: 'smooth', fallback: 'failed', offer: 'realtime' }],
  ['realtime', 'absent', { mode: 'smooth', fallback: 'absent', offer: null }],
  ['smooth', 'idle', { mode: 'smooth', fallback: null, offer: 'realtime' }],
  ['smooth', 'connecting', { mode: 'smooth', fallback: null, offer: 'realtime' }],
  ['smooth', 'playing', { mode: 'smooth', fallback: null, offer: 'realtime' }],
  ['smooth', 'full', { mode: 'smooth', fallback: null, offer: 'realtime' }],
  ['smooth', 'failed', { mode: 'smooth', fallback: null, offer: 'realtime' }],
  ['smooth', 'absent', { mode: 'smooth', fallback: null, offer: null }],
];

describe('decideWatchMode()', () => {
  test.each(EXPECTED)('preference %s with WebRTC %s', (preference, realtime, expected) => {
    expect(decideWatchMode(preference, realtime)).toEqual(expected);
  });

  test('the table covers every preference and every WebRTC status', () => {
    const modes: WatchMode[] = ['realtime', 'smooth'];
    const statuses: RealtimeStatus[] = ['idle', 'connecting', 'playing', 'full', 'failed', 'absent'];
    const covered = new Set(EXPECTED.map(([p, r]) => `${p}/${r}`));
    expect(covered.size).toBe(modes.length * statuses.length);
    for (const p of modes) for (const r of statuses) expect(covered.has(`${p}/${r}`), `${p}/${r}`).toBe(true);
  });
});

describe('the remembered choice', () => {
  function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
    const items = new Map<string, string>();
    return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
  }

  test('a stored 流畅模式 comes back; anything else, or nothing, is 实时模式', () => {
    const storage = memoryStorage();
    expect(storedWatchMode(storage)).toBe('realtime');
    storeWatchMode(storage, 'smooth');
    expect(storedWatchMode(storage)).toBe('smooth');
    storeWatchMode(storage, 'realtime');
    expect(storedWatchMode(storage)).toBe('realtime');
    storage.setItem('wsl.watchMode', 'bogus');
    expect(storedWatchMode(storage)).toBe('realtime');
    expect(storedWatchMode(null)).toBe('realtime');
  });

  test('a storage that throws (disabled by policy) leaves 实时模式 and does not break the page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(storedWatchMode(broken)).toBe('realtime');
    expect(() => storeWatchMode(broken, 'smooth')).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
