/** The roll call checked by media and the halls' headcounts, in English. */
import type { rollCallZh } from './rollCallZh.js';

export const rollCallEn: typeof rollCallZh = {
  prompt: 'The chair is calling the roll: press “Here” and say a word into your microphone.',
  confirm: 'Here',
  present: 'You are marked present: your voice was heard.',
  silent: 'You answered, but your voice has not been heard yet: turn your microphone on and say a word.',
  noMic: 'You answered, but your microphone is off: turn it on and say a word.',
  openMic: 'Turn microphone on',
  heardHint: 'Your voice was heard: press “Here”.',
  answer: {
    present: 'Present',
    silent: 'Answered · not heard',
    noMic: 'Answered · no microphone',
    heard: 'Heard · not answered',
    none: 'Not answered',
  },
  answerHint: {
    present: 'Answered, and their microphone was heard within a minute',
    silent: 'Answered, but their microphone was not heard',
    noMic: 'Answered without a microphone on: cannot be checked',
    heard: 'Their microphone was heard, but they have not answered',
    none: 'Neither answered nor heard',
  },
  summaryTitle: 'Roll call check',
  summaryRunning: 'Roll call running',
  summaryDone: 'Roll call result',
  summaryHint: 'Present means answered AND the server heard their microphone within a minute; a venue’s hall microphone counts.',
  halls: 'Members in the district halls',
  hallCount: '{{name}}: {{count}} in the hall',
  hallNone: '{{name}}: not reported yet',
  hallChip: '{{count}} in the hall',
  headcount: 'Members present in this hall',
  headcountHint: 'The quorum counts this number, at most {{max}}. Report again when it changes.',
  headcountReport: 'Report',
  headcountReported: 'Reported: {{count}} in the hall',
  headcountInvalid: 'Enter a whole number from 0 to {{max}}.',
};
