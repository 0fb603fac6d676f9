import { describe, expect, test, vi } from 'vitest';
import { draftsToKeep, restoreDrafts, savedDrafts } from './savedDrafts.js';
import { freshDraft } from './sectionDraft.js';

/** A storage holding `items`. */
const storageWith = (items: Record<string, string> = {}) => {
  const map = new Map(Object.entries(items));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
};

describe('savedDrafts', () => {
  test('keeps typing per room, and forgets the room once nothing is unsaved', () => {
    const storage = storageWith();
    const a = savedDrafts(storage, 'room-a');
    a.write({ 'speech:0': { text: '要点', base: 2 } });
    expect(a.read()).toEqual({ 'speech:0': { text: '要点', base: 2 } });
    expect(savedDrafts(storage, 'room-b').read()).toEqual({});
    a.write({});
    expect(storage.map.size).toBe(0);
  });

  test('what cannot be a draft is ignored, never trusted', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const raw of ['{not json', '[]', '{"speech:0":{"text":1,"base":0}}', '{"<script>":{"text":"x","base":0}}', `{"conclusions":{"text":"${'x'.repeat(20_001)}","base":0}}`]) {
      expect(savedDrafts(storageWith({ 'wsl.minutesDrafts.r': raw }), 'r').read(), raw.slice(0, 40)).toEqual({});
    }
    warn.mockRestore();
  });

  test('no storage (blocked, or in tests) keeps nothing', () => {
    const none = savedDrafts(null, 'r');
    none.write({ conclusions: { text: 'x', base: 0 } });
    expect(none.read()).toEqual({});
  });
});

describe('restoreDrafts', () => {
  const room = (text: string, version: number) => () => ({ text, version });

  test('typing on the room’s current version comes back unsaved', () => {
    expect(restoreDrafts({ conclusions: { text: '新', base: 1 } }, room('旧', 1))).toEqual({ conclusions: { ...freshDraft({ text: '旧', version: 1 }), text: '新' } });
  });

  test('typing the room already holds (saved just before the reload) is dropped', () => {
    expect(restoreDrafts({ conclusions: { text: '新', base: 1 } }, room('新', 2))).toEqual({});
    expect(restoreDrafts({ conclusions: { text: '新', base: 1 } }, room('新', 1))).toEqual({});
  });

  test('typing over a section that moved on is a conflict, the typing kept', () => {
    expect(restoreDrafts({ conclusions: { text: '我的', base: 1 } }, room('他的', 2))).toEqual({ conclusions: { text: '我的', base: 1, sending: null, conflict: true, error: null } });
  });

  test('only drafts with typing are kept', () => {
    const typed = { ...freshDraft({ text: '', version: 3 }), text: 'x' };
    expect(draftsToKeep({ 'speech:1': typed, conclusions: { ...freshDraft({ text: '', version: 0 }), error: 'TIMEOUT' } })).toEqual({ 'speech:1': { text: 'x', base: 3 } });
  });
});
