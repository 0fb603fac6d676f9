/**
 * The official Chinese terms of the meeting's fixed vocabularies. The interface (zh-CN) and
 * the minutes — the official record — both use these, so a chair reads on screen exactly the
 * words that end up in the record.
 */
import type { BasisWording } from './polls.js';
import type { PollKind, Role, SpeechType, Threshold } from './state.js';

/** Role names. */
export const ROLE_ZH: Record<Role, string> = {
  host: '主持人',
  secretary: '记录员',
  member: '委员',
  venue: '分会场',
  observer: '列席',
  department: '部门',
  public: '群众',
};

/** Speech types. */
export const SPEECH_TYPE_ZH: Record<SpeechType, string> = {
  statement: '发言',
  supplement: '补充',
  question: '质询',
  order: '程序性问题',
};

/** Poll kinds. */
export const POLL_KIND_ZH: Record<PollKind, string> = {
  single: '单选',
  multiple: '多选',
  yesno: '赞成 / 反对 / 弃权',
  consensus: '协商共识度',
};

/** Pass rules, as the rule's name. */
export const THRESHOLD_ZH: Record<Threshold, string> = {
  none: '不设通过标准',
  simple: '过半数',
  twoThirds: '三分之二多数',
};

/** What a pass rule counts against, as said after its name: 过半数（以实际投票计，弃权不计）. */
export const BASIS_ZH: Record<BasisWording, string> = {
  castWithoutAbstentions: '以实际投票计，弃权不计',
  cast: '以实际投票计',
  castWithAbstentions: '以实际投票计，弃权计入',
  eligible: '以应投人数计',
};

/** The fixed options of yes/no and consensus polls (keys from FIXED_OPTIONS in polls.ts). */
export const FIXED_OPTION_ZH: Record<'yes' | 'no' | 'abstain' | 'agree' | 'basicallyAgree' | 'needsDiscussion' | 'disagree', string> = {
  yes: '赞成',
  no: '反对',
  abstain: '弃权',
  agree: '赞同',
  basicallyAgree: '基本赞同',
  needsDiscussion: '需进一步协商',
  disagree: '不赞同',
};

/** 核稿: where a speech's passage stands with its speaker (keys: PassageStatus in signaling/record). */
export const PASSAGE_STATUS_ZH: Record<'none' | 'draft' | 'pending' | 'confirmed' | 'correctionProposed', string> = {
  none: '集体发言，无需核稿',
  draft: '未送核',
  pending: '待确认',
  confirmed: '已确认',
  correctionProposed: '提出修改',
};

/** Headings and labels of the minutes' written parts. */
export const MINUTES_ZH = {
  statement: '书面发言',
  conclusions: '会议结论',
  actions: '落实事项',
  actionText: '事项',
  owner: '责任单位（人）',
  due: '完成时限',
  noDue: '未定',
  record: '发言记录',
  unrecorded: '（尚未整理）',
  status: '核稿状态',
  proposed: '发言人提出的修改',
  draft: '草稿，未锁定',
  locked: '已锁定',
};
