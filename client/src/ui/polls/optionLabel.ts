/** The text of a poll option: fixed options (yes/no, consensus) are keys to translate. */
import type { TFunction } from 'i18next';
import { FIXED_OPTIONS } from '../../../../signaling/room/polls.js';
import type { Poll } from '../../../../signaling/room/state.js';

const FIXED_KEYS = ['yes', 'no', 'abstain', 'agree', 'basicallyAgree', 'needsDiscussion', 'disagree'] as const;
type FixedKey = (typeof FIXED_KEYS)[number];

function fixedKey(value: string): FixedKey | undefined {
  return FIXED_KEYS.find((k) => k === value);
}

/** The label of option `index` of `poll`. */
export function optionLabel(t: TFunction, poll: Pick<Poll, 'kind' | 'options'>, index: number): string {
  const raw = poll.options[index] ?? String(index + 1);
  const key = FIXED_OPTIONS[poll.kind] !== undefined ? fixedKey(raw) : undefined;
  return key === undefined ? raw : t(`polls.fixed.${key}`);
}
