/** 简体中文 of how the public watches: 实时模式 (WebRTC) or 流畅模式 (the HLS stream). */
export const watchModeZh = {
  label: '观看方式',
  realtime: '实时模式',
  smooth: '流畅模式',
  smoothDelay: '流畅模式 · 延迟约 {{seconds}} 秒',
  toSmooth: '切换到流畅模式',
  toRealtime: '切换到实时模式',
  retryRealtime: '重试实时模式',
  fallback: {
    full: '实时观看人数已满，已为您切换到流畅模式。',
    failed: '实时连接未能建立，已为您切换到流畅模式。',
    absent: '本场会议以流畅模式直播。',
  },
  stream: {
    video: '会议直播画面（流畅模式）',
    starting: '直播准备中…',
    unavailable: '直播暂不可用，正在自动重试…',
    unsupported: '此浏览器无法播放直播，请换用其他浏览器。',
    unmute: '点击开启声音',
  },
};
