/** English of a point of order interrupting the speech: the chair's alert and action, the waiting speech. */
export const pointOfOrderEn = {
  alertRegion: 'Point of order',
  alert: '{{name}} raises a point of order',
  alertNote: 'On: {{note}}',
  interrupt: 'Pause the speech, take the point of order',
  interruptHint: "{{speaker}}'s speech pauses with its time kept and resumes by itself when the point of order ends.",
  waiting: "{{speaker}}'s speech is paused, {{time}} left",
  waitingHint: 'It resumes by itself when the point of order ends.',
  waitingHintChair: 'It resumes by itself when the point of order ends; to give the floor to someone else, end the paused speech first.',
  endWaiting: 'End the paused speech',
  endWaitingQuestion: "End {{speaker}}'s paused speech? It will not resume; the time already spoken stays on the record.",
  myWaiting: 'Your speech is paused for a point of order, {{time}} left; it resumes by itself.',
  myResumed: 'Your speech resumes, {{time}} left.',
  minutesInterrupted: 'paused {{duration}} for a point of order',
};
