/** A poll's pass rule in words: 过半数（以实际投票计，弃权不计）, as the minutes say it too. */
import type { TFunction } from 'i18next';
import { basisWording } from '../../../../signaling/room/polls.js';
import type { MajorityBasis, PollKind, Threshold } from '../../../../signaling/room/state.js';

/** The rule's name and what it counts against; null for a poll without a pass rule. */
export function passRule(t: TFunction, poll: { kind: PollKind; threshold: Threshold; basis: MajorityBasis }): string | null {
  if (poll.threshold === 'none' || poll.kind === 'multiple') return null;
  return t('polls.rule', {
    threshold: t(`polls.thresholds.${poll.threshold}`),
    basis: t(`polls.basisWords.${basisWording(poll.kind, poll.basis)}`),
  });
}
