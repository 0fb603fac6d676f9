/** English of the recording: the Recording mark, the chair's toolbar button, the staff's parts, the public's copy. */
import type { recordingZh } from './recordingZh.js';

export const recordingEn: typeof recordingZh = {
  mark: 'Recording',
  markLabel: 'This meeting is being recorded',
  start: 'Record',
  stop: 'Stop recording',
  stopConfirm: 'Stop recording? What follows will not be in the recording.',
  title: 'Recording',
  part: 'Part {{index}}',
  startedAt: 'from {{time}}',
  duration: 'length {{duration}}',
  size: 'size {{size}}',
  growing: 'still recording, length not known yet',
  open: 'Play / download',
  openLabel: 'Play or download part {{index}} of the recording',
  loading: 'Reading the recording…',
  failed: 'The recording could not be read: {{reason}}',
  atSpeech: '▶ Recording {{time}}',
  atSpeechLabel: 'Play the recording from this speech (part {{index}}, {{time}})',
  publish: 'Publish recording',
  unpublish: 'Withdraw recording',
  publishConfirm: 'Publish the recording? Anyone with the public link will be able to watch and download it.',
  published: 'Recording published',
  publishHint: 'The recording can be published once the minutes are locked.',
  watch: 'Watch the recording',
  watchPart: 'Watch part {{index}}',
};
