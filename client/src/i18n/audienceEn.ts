/** English of the public page: the live view of the meeting and its sections. */
import type { audienceZh } from './audienceZh.js';

export const audienceEn: typeof audienceZh = {
  sections: 'Page sections',
  live: 'Live',
  comments: 'Comments',
  connecting: 'Connecting to the live meeting…',
  failed: 'This meeting cannot be watched',
  phase: {
    waiting: 'The meeting has not started yet',
    live: 'Live',
    ended: 'The meeting has ended',
  },
  waitingHint: 'The live meeting will play here once it starts.',
  endedHint: 'The meeting has ended. Thank you for following it.',
  noProgram: 'No live picture yet',
  speaking: 'Speaking',
  nobodySpeaking: 'Nobody has the floor',
  remaining: '{{time}} left',
  overtime: '{{time}} over time',
  paused: 'Clock paused',
  stage: 'Public comment on screen',
  answer: 'Answer from {{department}}',
  results: 'Vote results',
  votes: '{{votes}} votes of {{eligible}} eligible',
  passed: 'Passed',
  notPassed: 'Not passed',
  online: 'Watching now',
  visits: 'Visits',
  unmute: 'Tap to turn the sound on',
  video: 'Live picture of the meeting',
};
