/**
 * The official Chinese terms of the meeting's fixed vocabularies. The interface (zh-CN) and
 * the minutes — the official record — both use these, so a chair reads on screen exactly the
 * words that end up in the record.
 */
import type { PollKind, Role, SpeechType } from './state.js';

/** Role names. */
export const ROLE_ZH: Record<Role, string> = {
  host: '主持人',
  secretary: '记录员',
  member: '委员',
  venue: '分会场',
  observer: '列席',
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
