/** English of audio-only for a weak link: the proposal, the button, the chair's list. */
export const weakLinkEn = {
  proposal: 'Your connection is weak: video is making your voice break up. Switch to audio only?',
  proposalHint: 'Audio only sends and receives no video (except the speaker on the stage); raising your hand, speaking and voting are unchanged.',
  switch: 'Switch to audio only',
  notNow: 'Not now',
  button: 'Audio only',
  buttonBack: 'Video back on',
  buttonHint: 'For a weak connection: no video sent or received, only sound and the speaker on the stage',
  onFloor: 'You are speaking audio only: everyone hears you but sees no picture. Turn video back on when your connection allows.',
  stageChip: 'Audio only',
  chairList: 'Audio only: {{names}}',
  chairHint: 'These participants only send and receive sound because of a weak connection; speaking and voting are unchanged.',
};
