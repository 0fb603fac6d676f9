/** English of a poll's results by venue and sector and of second rounds. */
import type { breakdownZh } from './pollBreakdownZh.js';

export const breakdownEn: typeof breakdownZh = {
  title: 'Results by group',
  byVenue: 'By venue',
  bySector: 'By sector',
  venue: 'Venue',
  sector: 'Sector',
  voters: 'Voters',
  other: 'Other',
  noSector: 'Not given',
  merged: 'Secret ballot: groups of fewer than {{k}} voters, and any group that could be worked out from the others, are merged into "Other", so that nobody\'s choice can be inferred.',
  notGrouped: '{{title}}: not shown by group (the groups are too small, or could be worked out from each other)',
  again: 'Ask again',
  againHint: 'Drafts a second round with the same question and options; once opened everyone votes again and the results show the change from round 1.',
  secondRound: 'Round 2',
  shiftTitle: 'Change from round 1',
  shift: '{{option}}: {{before}} → {{after}} votes, {{votes}} ({{points}} points)',
  unchanged: '{{option}}: {{before}} → {{after}} votes, no change',
  groupCell: '{{count}} ({{percent}}%)',
  settingSection: 'Votes',
  setting: 'Smallest group shown in secret votes',
  settingHint: 'When secret votes are shown by venue and sector, groups with fewer voters (and groups that could be worked out from the others) are merged into "Other".',
  settingCount: '{{count}} voters',
};
