import { describe, expect, test } from 'vitest';
import { sessionKey, sessionStore } from './session.js';

/** An in-memory Storage. */
function memory(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

const INVITE = `eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiciJ9.${'s'.repeat(43)}`;

describe('sessionStore()', () => {
  test('keeps the resume token and last seq under the invite', () => {
    const storage = memory();
    const store = sessionStore(storage, INVITE);
    expect(store.read()).toBeNull();
    store.write({ resumeToken: 'r'.repeat(32), lastSeq: 12 });
    expect(sessionStore(storage, INVITE).read()).toEqual({ resumeToken: 'r'.repeat(32), lastSeq: 12 });
    expect(sessionStore(storage, `${INVITE.slice(0, -1)}t`).read()).toBeNull();
    store.clear();
    expect(store.read()).toBeNull();
  });

  test('keeps the name typed at the join page, for the form after a reload', () => {
    const storage = memory();
    sessionStore(storage, INVITE).write({ resumeToken: 'r'.repeat(32), lastSeq: 3, name: '李委员' });
    expect(sessionStore(storage, INVITE).read()?.name).toBe('李委员');
  });

  test('ignores what it did not write (bad JSON, wrong shape)', () => {
    const storage = memory();
    storage.setItem(sessionKey(INVITE), '{not json');
    expect(sessionStore(storage, INVITE).read()).toBeNull();
    storage.setItem(sessionKey(INVITE), JSON.stringify({ resumeToken: 'short', lastSeq: -1 }));
    expect(sessionStore(storage, INVITE).read()).toBeNull();
  });

  test('works without storage at all', () => {
    const store = sessionStore(null, INVITE);
    store.write({ resumeToken: 'r'.repeat(32), lastSeq: 1 });
    expect(store.read()).toBeNull();
  });
});
