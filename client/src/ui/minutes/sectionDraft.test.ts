import { describe, expect, test } from 'vitest';
import { draftStatus, freshDraft, reduceDraft, saveCommand, shownText, type Draft, type DraftAction, type RoomText } from './sectionDraft.js';

const v = (version: number, text: string): RoomText => ({ version, text });
const run = (draft: Draft, ...actions: DraftAction[]): Draft => actions.reduce(reduceDraft, draft);

describe('a section draft', () => {
  test('typing makes it unsaved; the save names the version the typing started from', () => {
    const room = v(2, 'old');
    const d = run(freshDraft(room), { type: 'typed', text: 'new', room });
    expect(draftStatus(d)).toBe('unsaved');
    expect(saveCommand(d, room)).toEqual({ text: 'new', baseVersion: 2 });
  });

  test('typing back the room text is no change', () => {
    const room = v(2, 'old');
    const d = run(freshDraft(room), { type: 'typed', text: 'olds', room }, { type: 'typed', text: 'old', room });
    expect(d.text).toBeNull();
    expect(draftStatus(d)).toBe('saved');
  });

  test('a save accepted after its own event came back is saved, with nothing left to choose', () => {
    const room = v(0, '');
    let d = run(freshDraft(room), { type: 'typed', text: 'A', room }, { type: 'saveSent', text: 'A', base: 0 });
    expect(draftStatus(d)).toBe('saving');
    d = run(d, { type: 'room', room: v(1, 'A') }, { type: 'saveAccepted' });
    expect(draftStatus(d)).toBe('saved');
    expect(d.base).toBe(1);
  });

  test('typing while a save is on its way stays as the next draft on the saved version, not a conflict', () => {
    const room = v(0, '');
    let d = run(freshDraft(room), { type: 'typed', text: 'A', room }, { type: 'saveSent', text: 'A', base: 0 }, { type: 'typed', text: 'AB', room });
    d = run(d, { type: 'room', room: v(1, 'A') }, { type: 'saveAccepted' });
    expect(draftStatus(d)).toBe('unsaved');
    expect(saveCommand(d, v(1, 'A'))).toEqual({ text: 'AB', baseVersion: 1 });
  });

  test('a newer version under unsaved typing is a conflict that keeps the typing; saving then goes over the newest version', () => {
    const room = v(3, 'base');
    let d = run(freshDraft(room), { type: 'typed', text: 'mine', room });
    const theirs = v(4, 'theirs');
    d = run(d, { type: 'room', room: theirs });
    expect(draftStatus(d)).toBe('conflict');
    expect(shownText(d, theirs)).toBe('mine');
    expect(saveCommand(d, theirs)).toEqual({ text: 'mine', baseVersion: 4 });
  });

  test('a CONFLICT answer keeps the typing; taking theirs drops it', () => {
    const room = v(3, 'base');
    let d = run(freshDraft(room), { type: 'typed', text: 'mine', room }, { type: 'saveSent', text: 'mine', base: 3 });
    d = run(d, { type: 'saveRefused', error: 'CONFLICT', room });
    expect(draftStatus(d)).toBe('conflict');
    expect(d.text).toBe('mine');
    d = run(d, { type: 'takeTheirs', room: v(4, 'theirs') });
    expect(draftStatus(d)).toBe('saved');
    expect(shownText(d, v(4, 'theirs'))).toBe('theirs');
  });

  test('a newer version without typing is simply shown', () => {
    const d = run(freshDraft(v(1, 'a')), { type: 'room', room: v(2, 'b') });
    expect(d.text).toBeNull();
    expect(d.base).toBe(2);
  });

  test('another failure keeps the typing and says it failed', () => {
    const room = v(0, '');
    const d = run(freshDraft(room), { type: 'typed', text: 'x', room }, { type: 'saveSent', text: 'x', base: 0 }, { type: 'saveRefused', error: 'TIMEOUT', room });
    expect(draftStatus(d)).toBe('failed');
    expect(saveCommand(d, room)).toEqual({ text: 'x', baseVersion: 0 });
  });
});
