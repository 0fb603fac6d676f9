import { describe, expect, test } from 'vitest';
import { fileNameOf } from './minutesApi.js';

describe('fileNameOf()', () => {
  test('reads the plain and the RFC 5987 forms, else falls back', () => {
    expect(fileNameOf('attachment; filename="minutes-r1-12.docx"', 'x.docx')).toBe('minutes-r1-12.docx');
    expect(fileNameOf("attachment; filename*=UTF-8''%E7%BA%AA%E8%A6%81.md", 'x.md')).toBe('纪要.md');
    expect(fileNameOf(null, 'minutes-r1.html')).toBe('minutes-r1.html');
    expect(fileNameOf("attachment; filename*=UTF-8''%E7%ZZ", 'x.md')).toBe('x.md');
  });
});
