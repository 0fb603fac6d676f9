/** 简体中文 of a point of order interrupting the speech (程序性问题): the chair's alert and action, the waiting speech. */
export const pointOfOrderZh = {
  alertRegion: '程序性问题',
  alert: '{{name}} 提出程序性问题',
  alertNote: '事由：{{note}}',
  interrupt: '暂停发言，处理程序性问题',
  interruptHint: '{{speaker}}的发言将暂停，剩余时间保留，程序性问题结束后自动继续。',
  waiting: '{{speaker}}的发言已暂停，剩余 {{time}}',
  waitingHint: '程序性问题结束后自动继续。',
  waitingHintChair: '程序性问题结束后自动继续；如要改请他人发言，请先结束被暂停的发言。',
  endWaiting: '结束被暂停的发言',
  endWaitingQuestion: '结束{{speaker}}被暂停的发言？该发言将不再继续，已发言时间照实记录。',
  myWaiting: '您的发言因程序性问题暂停，剩余 {{time}}，稍后自动继续。',
  myResumed: '您的发言继续，剩余 {{time}}。',
  minutesInterrupted: '其间因程序性问题暂停 {{duration}}',
};
