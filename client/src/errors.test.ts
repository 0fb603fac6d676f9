import { describe, expect, test } from 'vitest';
import { ClientError, classifyMediaError, errorCodeOf } from './errors.js';

describe('classifyMediaError()', () => {
  test.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'notFound'],
    ['OverconstrainedError', 'notFound'],
    ['NotReadableError', 'inUse'],
    ['AbortError', 'inUse'],
    ['SomethingNew', 'other'],
  ])('a DOMException named %s means %s', (name, kind) => {
    expect(classifyMediaError(new DOMException('x', name))).toBe(kind);
  });

  test('no mediaDevices (insecure context) means insecure', () => {
    expect(classifyMediaError(new ClientError('UNSUPPORTED_BROWSER'))).toBe('insecure');
  });

  test('a non-error is other', () => {
    expect(classifyMediaError('nope')).toBe('other');
  });
});

describe('errorCodeOf()', () => {
  test('keeps a ClientError code and calls anything else MEDIA', () => {
    expect(errorCodeOf(new ClientError('FORBIDDEN', 'x'))).toBe('FORBIDDEN');
    expect(errorCodeOf(new Error('boom'))).toBe('MEDIA');
  });
});
