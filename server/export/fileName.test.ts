import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import { recordedMeeting } from '../../signaling/record/testing.js';
import { asciiFileName, contentDisposition, minutesFileName } from './fileName.js';

const minutes = minutesSkeleton(recordedMeeting().state);

describe('export file names', () => {
  test('minutesFileName() names a file by topic, meeting day and version; a draft says so', () => {
    const locked = { ...minutes, lockedAt: (minutes.actualEnd ?? 0) + 60_000 };
    // The fixture's clock starts 2023-11-14 22:13 UTC: in Beijing the meeting was on the 15th.
    expect(minutesFileName(locked, 'docx')).toBe('老旧小区加装电梯-2023年11月15日-纪要-第1版.docx');
    expect(minutesFileName(minutes, 'md')).toBe('老旧小区加装电梯-2023年11月15日-纪要-第1版草稿.md');
  });

  test('minutesFileName() keeps a topic with slashes, quotes or line breaks a single safe name', () => {
    const name = minutesFileName({ ...minutes, topic: ' ../关于"加装/电梯"\n的议题:第二轮* ', actualStart: null, plannedStart: null }, 'docx');
    expect(name).toBe('关于 加装 电梯 的议题 第二轮-纪要-第1版草稿.docx');
    expect(minutesFileName({ ...minutes, topic: '长'.repeat(100) }, 'md')).toMatch(/^长{40}-2023年/);
    expect(minutesFileName({ ...minutes, topic: '///' }, 'md')).toMatch(/^会议-2023年/);
  });

  test('contentDisposition() carries an ASCII fallback and the UTF-8 name per RFC 5987', () => {
    const header = contentDisposition('attachment', minutesFileName(minutes, 'docx'), asciiFileName(minutes, 'docx'));
    expect(header).toBe(`attachment; filename="minutes-test-room-v1-draft-${minutes.seq}.docx"; filename*=UTF-8''${encodeURIComponent('老旧小区加装电梯-2023年11月15日-纪要-第1版草稿.docx')}`);
    // Characters RFC 5987 leaves out of attr-char are percent-encoded too.
    expect(contentDisposition('inline', "a'(b)*.html", 'x.html')).toBe(`inline; filename="x.html"; filename*=UTF-8''a%27%28b%29%2A.html`);
    expect(header).toMatch(/^[\x20-\x7E]+$/);
  });
});
