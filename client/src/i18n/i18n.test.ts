import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../../signaling/errors.js';
import en from './en.js';
import { flattenKeys, messageAt, placeholders } from './keys.js';
import zhCN from './zh-CN.js';

const zhKeys = flattenKeys(zhCN);
const enKeys = flattenKeys(en);

describe('translations', () => {
  test('zh-CN and en have identical keys', () => {
    expect(enKeys).toEqual(zhKeys);
  });

  test('every message is non-empty in both languages', () => {
    for (const key of zhKeys) {
      expect(messageAt(zhCN, key)?.trim(), `zh-CN ${key}`).not.toBe('');
      expect(messageAt(en, key)?.trim(), `en ${key}`).not.toBe('');
    }
  });

  test('both languages interpolate the same placeholders', () => {
    for (const key of zhKeys) {
      expect(placeholders(messageAt(en, key) ?? ''), key).toEqual(placeholders(messageAt(zhCN, key) ?? ''));
    }
  });

  test('every server error code has a message', () => {
    for (const code of ERROR_CODES) expect(zhKeys).toContain(`errors.${code}`);
  });

  test('the English file is actually English', () => {
    const cjk = /[\u4e00-\u9fff]/;
    const chineseInEnglish = enKeys.filter((k) => k !== 'language.switch' && cjk.test(messageAt(en, k) ?? ''));
    expect(chineseInEnglish).toEqual([]);
  });
});

describe('flattenKeys() and placeholders()', () => {
  test('flatten nested trees into sorted dotted paths', () => {
    expect(flattenKeys({ b: 'x', a: { d: 'y', c: 'z' } })).toEqual(['a.c', 'a.d', 'b']);
  });

  test('find {{placeholders}} with or without spaces', () => {
    expect(placeholders('{{ name }} and {{count}}')).toEqual(['count', 'name']);
  });
});
