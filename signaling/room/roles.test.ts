import { describe, expect, test } from 'vitest';
import { commentsPartOf, followsComments } from './roles.js';
import type { Role } from './state.js';

describe('a role’s part in the public comments during the meeting', () => {
  // Written from the product, not read from the code: the chair and the secretary moderate and
  // put comments on the stage, a department answers them, the others see only the stage.
  const PART: Record<Role, 'moderate' | 'answer' | null> = {
    host: 'moderate',
    secretary: 'moderate',
    department: 'answer',
    member: null,
    venue: null,
    observer: null,
    public: null,
  };

  test.each(Object.entries(PART) as Array<[Role, 'moderate' | 'answer' | null]>)('%s: %s', (role, part) => {
    expect(commentsPartOf(role)).toBe(part);
    // Live news of comments goes exactly to the meeting pages that show them.
    expect(followsComments(role)).toBe(part !== null);
  });
});
