// @vitest-environment jsdom
import { afterAll, describe, expect, test } from 'vitest';
import { setLanguage } from '../i18n/index.js';
import { formatDateTime, formatRange, formatTime } from './format.js';

// Local times, so the expectations hold in any time zone.
const at1430 = new Date(2025, 4, 20, 14, 30).getTime();
const at1600 = new Date(2025, 4, 20, 16, 0).getTime();
const nextDay0900 = new Date(2025, 4, 21, 9, 0).getTime();

afterAll(() => setLanguage('zh-CN'));

describe('dates and times in the interface language', () => {
  test('Chinese, then English, then Chinese again: each call follows the language shown now', async () => {
    await setLanguage('zh-CN');
    expect(formatTime(at1430)).toBe('14:30');
    expect(formatDateTime(at1430)).toBe('2025年5月20日 14:30');
    await setLanguage('en');
    expect(formatTime(at1430)).toMatch(/^2:30\sPM$/u);
    expect(formatDateTime(at1430)).toMatch(/^May 20, 2025, 2:30\sPM$/u);
    await setLanguage('zh-CN');
    expect(formatTime(at1430)).toBe('14:30');
  });

  test('a range gives the end date only when it is another day; an unknown range says so', async () => {
    await setLanguage('zh-CN');
    expect(formatRange(at1430, at1600, '未定')).toBe('2025年5月20日 14:30 – 16:00');
    expect(formatRange(at1430, nextDay0900, '未定')).toBe('2025年5月20日 14:30 – 2025年5月21日 09:00');
    expect(formatRange(null, at1600, '未定')).toBe('2025年5月20日 16:00');
    expect(formatRange(null, null, '未定')).toBe('未定');
  });
});
