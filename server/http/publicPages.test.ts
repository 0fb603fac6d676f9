import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { PublicPages, type SharedPage } from './publicPages.js';
import { PreparedJson } from './sendJson.js';

const page = (label: string): SharedPage => ({
  comments: [{ id: label, roomId: 'r', name: 'n', place: '', text: label, createdAt: 0, status: 'approved', upvotes: 0, themes: [], answer: null }],
  counts: { approved: 1, answered: 0 },
});

/** A read that answers `label` when released, counting its calls. */
function reads() {
  const made: Array<{ label: string; release: () => void }> = [];
  const read = (label: string) => () =>
    new Promise<SharedPage>((resolve) => {
      made.push({ label, release: () => resolve(page(label)) });
    });
  return { made, read };
}

const text = async (kept: { shared: Promise<SharedPage> }): Promise<string | undefined> => (await kept.shared).comments[0]?.text;

describe('PublicPages', () => {
  test('readers at the same chain head share one read; a later head is read again', async () => {
    const pages = new PublicPages();
    const { made, read } = reads();
    const a = pages.page('r', 'hot', 0, 7, read('at 7'));
    const b = pages.page('r', 'hot', 0, 7, read('again at 7'));
    expect(made.map((m) => m.label)).toEqual(['at 7']);
    made[0]?.release();
    expect(await text(a)).toBe('at 7');
    expect(await text(b)).toBe('at 7');
    const c = pages.page('r', 'hot', 0, 8, read('at 8'));
    made[1]?.release();
    expect(await text(c)).toBe('at 8');
    expect(made).toHaveLength(2);
  });

  test('a reader who read an older head gets the newer page kept (newer than it asked for)', async () => {
    const pages = new PublicPages();
    const { made, read } = reads();
    pages.page('r', 'hot', 0, 9, read('at 9'));
    made[0]?.release();
    expect(await text(pages.page('r', 'hot', 0, 8, read('at 8')))).toBe('at 9');
    expect(made).toHaveLength(1);
  });

  test('rooms, orders and offsets are kept apart', () => {
    const pages = new PublicPages();
    const { made, read } = reads();
    pages.page('r', 'hot', 0, 1, read('r hot 0'));
    pages.page('r', 'new', 0, 1, read('r new 0'));
    pages.page('r', 'hot', 100, 1, read('r hot 100'));
    pages.page('s', 'hot', 0, 1, read('s hot 0'));
    expect(made.map((m) => m.label)).toEqual(['r hot 0', 'r new 0', 'r hot 100', 's hot 0']);
    expect(pages.size).toBe(4);
  });

  test('a failed read is not kept: the next reader reads again', async () => {
    const pages = new PublicPages();
    const failing = pages.page('r', 'hot', 0, 1, () => Promise.reject(new Error('store down')));
    await expect(failing.shared).rejects.toThrow('store down');
    // The failure is forgotten once it is known.
    await Promise.resolve();
    const again = pages.page('r', 'hot', 0, 1, () => Promise.resolve(page('read again')));
    expect(await text(again)).toBe('read again');
  });

  test('at most `max` pages are kept; the one read least recently goes first', () => {
    const pages = new PublicPages(2);
    const { made, read } = reads();
    pages.page('a', 'hot', 0, 1, read('a'));
    pages.page('b', 'hot', 0, 1, read('b'));
    pages.page('a', 'hot', 0, 1, read('a again'));
    pages.page('c', 'hot', 0, 1, read('c'));
    expect(pages.size).toBe(2);
    pages.page('a', 'hot', 0, 1, read('a a third time'));
    pages.page('b', 'hot', 0, 1, read('b again'));
    expect(made.map((m) => m.label)).toEqual(['a', 'b', 'c', 'b again']);
  });

  test("a first visit's answer is made once per frame and compressed once per encoding", async () => {
    const pages = new PublicPages();
    const kept = pages.page('r', 'hot', 0, 1, () => Promise.resolve(page('x')));
    let made = 0;
    const make = (frame: string) => () => {
      made++;
      return new PreparedJson(z.unknown(), { frame });
    };
    const first = kept.firstVisit('frame 1', make('frame 1'));
    expect(kept.firstVisit('frame 1', make('frame 1'))).toBe(first);
    const other = kept.firstVisit('frame 2', make('frame 2'));
    expect(other).not.toBe(first);
    expect(made).toBe(2);
    let compressed = 0;
    const encoding = { name: 'br', compress: (data: Buffer) => (compressed++, Promise.resolve(Buffer.concat([Buffer.from('z'), data]))) } as const;
    const [x, y] = await Promise.all([first.encoded(encoding), first.encoded(encoding)]);
    expect(x).toBe(y);
    expect(compressed).toBe(1);
  });
});
