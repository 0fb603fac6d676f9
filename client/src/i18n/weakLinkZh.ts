/** 简体中文 of audio-only (仅语音) for a weak link: the proposal, the button, the chair's list. */
export const weakLinkZh = {
  proposal: '您的网络较弱，视频会让声音断断续续。改为仅语音？',
  proposalHint: '仅语音时不发送也不接收视频（发言人的画面除外）；举手、发言、表决都不受影响。',
  switch: '改为仅语音',
  notNow: '暂不',
  button: '仅语音',
  buttonBack: '恢复视频',
  buttonHint: '网络较弱时使用：不收发视频，只保留声音和发言人的画面',
  onFloor: '您正以仅语音发言，大家能听到您，但看不到画面。网络允许时可恢复视频。',
  stageChip: '仅语音',
  chairList: '仅语音：{{names}}',
  chairHint: '这些参会人因网络较弱只收发声音，发言和表决不受影响。',
};
