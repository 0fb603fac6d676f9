/** 简体中文 — the default language. Its shape is the key set every other language must have. */
import type { ClientErrorCode, MediaErrorKind } from '../errors.js';

const mediaErrors = {
  mic: {
    denied: '麦克风权限被拒绝，请在浏览器地址栏中允许使用麦克风。',
    notFound: '未检测到麦克风。',
    inUse: '麦克风正被其他程序占用。',
    insecure: '请通过 HTTPS 打开本页面才能使用麦克风。',
    other: '无法打开麦克风。',
  },
  camera: {
    denied: '摄像头权限被拒绝，请在浏览器地址栏中允许使用摄像头。',
    notFound: '未检测到摄像头，您仍可以仅用声音参加会议。',
    inUse: '摄像头正被其他程序占用。',
    insecure: '请通过 HTTPS 打开本页面才能使用摄像头。',
    other: '无法打开摄像头。',
  },
  screen: {
    denied: '未获得屏幕共享权限。',
    notFound: '没有可共享的屏幕。',
    inUse: '无法读取所选屏幕。',
    insecure: '此浏览器不支持屏幕共享。',
    other: '无法共享屏幕。',
  },
} satisfies Record<'mic' | 'camera' | 'screen', Record<MediaErrorKind, string>>;

const errors = {
  BAD_REQUEST: '请求无效。',
  UNSUPPORTED_PROTOCOL: '客户端版本已过期，请刷新页面。',
  NOT_JOINED: '尚未加入会议室。',
  ALREADY_JOINED: '您已在会议室中。',
  NOT_FOUND: '所请求的内容已不存在。',
  FORBIDDEN: '您无权进行此操作。',
  INVALID_STATE: '当前状态下无法进行此操作。',
  UNSUPPORTED_MEDIA: '您的浏览器不支持会议所需的音视频格式。',
  UNAUTHORIZED: '邀请链接无效或已过期。',
  ROOM_LOCKED: '会议室已锁定，暂时无法进入。',
  IN_LOBBY: '正在等候主持人准许入会。',
  MEETING_ENDED: '会议已结束。',
  QUEUE_CLOSED: '发言报名已截止。',
  SPEECH_LIMIT: '本会场的发言次数已用完。',
  NOT_ELIGIBLE: '您不在本次表决的投票人范围内。',
  ALREADY_VOTED: '您已投过票，本次表决不允许更改。',
  CONFLICT: '会议室状态刚刚发生变化，请重试。',
  UNAVAILABLE: '服务暂时不可用，请稍后重试。',
  INTERNAL: '服务器出错，请稍后重试。',
  TIMEOUT: '服务器没有响应，请检查网络连接。',
  DISCONNECTED: '与服务器的连接已断开。',
  UNSUPPORTED_BROWSER: '此浏览器不支持音视频通话，请使用最新版 Chrome、Edge、Firefox 或 Safari。',
  CAPABILITIES: '无法获取服务器的媒体配置，请刷新页面重试。',
  MEDIA: '音视频连接出错。',
  SERVER_CLOSED: '服务器已关闭此连接。',
} satisfies Record<ClientErrorCode, string>;

const zhCN = {
  app: {
    name: '微商量',
    tagline: '视频协商会议室',
  },
  language: {
    switch: 'English',
    switchLabel: '切换为英文界面',
  },
  join: {
    title: '加入协商会议室',
    name: '您的姓名',
    namePlaceholder: '例如：王委员',
    room: '会议室编号',
    roomPlaceholder: '例如：city-2024-05',
    roomHint: '只能包含字母、数字、下划线和连字符。',
    nameRequired: '请输入姓名。',
    roomInvalid: '会议室编号只能包含字母、数字、下划线和连字符。',
    microphone: '麦克风',
    camera: '摄像头',
    defaultDevice: '系统默认',
    unnamedMic: '麦克风 {{index}}',
    unnamedCamera: '摄像头 {{index}}',
    preview: '摄像头预览',
    cameraOffPreview: '摄像头已关闭，入会后可随时打开。',
    micLevel: '麦克风音量',
    submit: '加入会议',
    joining: '正在加入…',
    preparing: '正在连接服务器…',
    left: '您已离开会议室。',
  },
  room: {
    label: '会议室 {{roomId}}',
    participants: '参会人数：{{count}}',
    copyLink: '复制邀请链接',
    linkCopied: '链接已复制',
    me: '{{name}}（我）',
    muted: '已静音',
    cameraOff: '摄像头已关闭',
    speaking: '正在发言',
    sharing: '{{name}} 正在共享屏幕',
    youAreSharing: '您正在共享屏幕',
    alone: '会议室里目前只有您，请把邀请链接发给其他参会人。',
    reconnecting: '正在重新连接…',
    gallery: '参会人画面',
    stage: '共享内容',
  },
  controls: {
    toolbar: '会议控制',
    mute: '静音',
    unmute: '取消静音',
    cameraOff: '关闭摄像头',
    cameraOn: '打开摄像头',
    shareScreen: '共享屏幕',
    stopShare: '停止共享',
    shareUnsupported: '此设备不支持屏幕共享',
    leave: '离开会议',
  },
  audio: {
    blocked: '浏览器暂停了会议声音的自动播放。',
    enable: '播放声音',
  },
  alert: {
    dismiss: '关闭提示',
  },
  mediaErrors,
  errors,
};

/** The translation tree; every language has exactly these keys. */
export type Messages = typeof zhCN;

export default zhCN;
