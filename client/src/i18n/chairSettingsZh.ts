/**
 * 简体中文 of the chair's meeting settings (会议设置), the per-venue speech quota on a grant,
 * and the next speaker's 请准备发言.
 */
export const settingsZh = {
  open: '会议设置',
  title: '会议设置',
  intro: '修改后点“保存”立即生效，会上随时可改。',
  speaking: '发言',
  attendance: '入会与出席',
  defaultSpeech: '默认发言时长',
  defaultSpeechHint: '请人发言时默认给予的时间，发言排队页可逐次另选。',
  warning: '提前提醒',
  warningHint: '剩余这么多时间时，计时变黄，并提醒下一位发言人做准备。',
  warningNone: '不提醒',
  warningTooLong: '提醒时间不短于默认发言时长：发言一开始就会进入提醒。',
  grace: '超时宽限',
  graceHint: '时间用完后可再说这么久收尾，之后自动结束发言。',
  graceNone: '到时立即结束',
  quota: '每个会场发言次数',
  quotaHint: '一个会场（含本会场所有人及整个会场发言）最多发言几次；程序性问题不计。用完后，主持人确认后仍可破例给予发言。',
  quotaNone: '不限',
  quotaCount: '{{count}} 次',
  quorum: '法定人数',
  quorumHint: '实到达到应到人数的这一比例即为达到法定人数，参会页面会显示是否达到。',
  quorumNone: '不设',
  quorumPercent: '{{percent}}%',
  quorumTwoThirds: '三分之二（67%）',
  quorumHalf: '半数（50%）',
  quorumAll: '全部（100%）',
  lobby: '入会需主持人准入',
  lobbyHint: '开启时，参会人先在等候室等候，由您准入（推荐）。',
  floorOnly: '仅获得发言者可开麦',
  floorOnlyHint: '开启时，未获得发言的参会人麦克风由服务器保持静音（推荐）。',
  seconds: '{{count}} 秒',
  minutes: '{{count}} 分钟',
  save: '保存',
  summary: '默认发言：{{speech}}；提前提醒：{{warning}}；超时宽限：{{grace}}；每会场发言：{{quota}}；法定人数：{{quorum}}',
};

/** The quota on the chair's grant. */
export const quotaZh = {
  confirm: '{{venue}}已用完发言名额（{{limit}} 次），仍要给予发言？',
  confirmEnding: '{{venue}}已用完发言名额（{{limit}} 次），仍要结束当前发言并给予发言？',
  grantAnyway: '仍要给予',
  usedUp: '本会场名额已用完',
};

/** The next speaker on deck. */
export const onDeckZh = {
  title: '请准备发言',
  text: '当前发言即将结束，下一位是您。',
  cameraOn: '摄像头正常',
  cameraOff: '摄像头未开启。',
  cameraBlocked: '摄像头被浏览器禁止：请点地址栏左侧的图标，允许使用摄像头。',
  cameraStart: '打开摄像头',
  micLevel: '说句话试试，音量条应随声音跳动。',
  micHeldUntilFloor: '获得发言前，其他人听不到您。',
  micOff: '麦克风未开启。',
  micStart: '打开麦克风',
  micOffNoFloorOnly: '麦克风未开启：轮到您发言时再打开（本会议不由服务器代为静音，现在打开大家都能听到）。',
  micBlocked: '麦克风被浏览器禁止：请点地址栏左侧的图标，允许使用麦克风。',
  micMutedByHost: '主持人已将您静音，发言前需主持人允许开麦。',
  dismiss: '知道了',
};
