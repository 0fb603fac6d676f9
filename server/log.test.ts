import { describe, expect, test } from 'vitest';
import { bindProcess, createLogger, neverLog, passwordOf, type LoggerOptions, type LogLevel } from './log.js';

/** A logger writing into an array, and its lines parsed. */
function capture(level: LogLevel, options: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger(level, { ...options, destination: { write: (line: string) => lines.push(line) } });
  const parsed = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('createLogger()', () => {
  test('writes one JSON line per message with level, ISO time, name, pid and msg', () => {
    const { logger, lines, parsed } = capture('info');
    logger.info('started');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(lines[0]?.trimEnd()).not.toContain('\n');
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'info', name: 'wsl', pid: process.pid, msg: 'started' });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  test('drops lines below its level, and writes none when silent', () => {
    const info = capture('info');
    info.logger.debug('hidden');
    info.logger.info('shown');
    info.logger.warn('shown too');
    info.logger.error('and this');
    expect(info.parsed().map((l) => l.level)).toEqual(['info', 'warn', 'error']);

    const warn = capture('warn');
    warn.logger.info('hidden');
    warn.logger.child('rooms').warn('shown');
    expect(warn.parsed().map((l) => l.msg)).toEqual(['shown']);

    const silent = capture('silent');
    silent.logger.error('nothing');
    silent.logger.child('x').error('nothing either');
    expect(silent.lines).toEqual([]);
  });

  test('child() extends the name and binds fields, which its own children keep once each', () => {
    const { logger, lines, parsed } = capture('debug');
    const room = logger.child('rooms', { roomId: 'room-1' });
    room.child('presence', { participantId: 'p-1' }).debug('joined');
    room.info('opened');
    const [joined, opened] = parsed();
    expect(joined).toMatchObject({ name: 'wsl:rooms:presence', roomId: 'room-1', participantId: 'p-1', msg: 'joined' });
    expect(opened).toMatchObject({ name: 'wsl:rooms', roomId: 'room-1', msg: 'opened' });
    expect(opened).not.toHaveProperty('participantId');
    // Each key once in the raw line, even though two generations bound a name.
    expect(lines[0]?.match(/"name":/g)).toHaveLength(1);
  });

  test('an Error becomes err with message and stack; objects merge as fields; other values go in details', () => {
    const { logger, parsed } = capture('info');
    logger.child('hub', { roomId: 'room-1' }).error('media policy failed', new Error('router closed'), { participantId: 'p-2' }, 7);
    const [line] = parsed();
    expect(line).toMatchObject({ msg: 'media policy failed', roomId: 'room-1', participantId: 'p-2', details: [7] });
    const err = line?.err as { message: string; stack: string; type: string };
    expect(err.message).toBe('router closed');
    expect(err.type).toBe('Error');
    expect(err.stack).toContain('Error: router closed');
  });

  test('bindProcess() adds the process id to every line of the loggers made before and after', () => {
    const { logger, parsed } = capture('info');
    const early = logger.child('media');
    early.info('before');
    bindProcess(logger, 'proc-a1');
    early.info('after');
    logger.child('rooms').info('later child');
    const lines = parsed();
    expect(lines[0]).not.toHaveProperty('processId');
    expect(lines.slice(1).map((l) => l.processId)).toEqual(['proc-a1', 'proc-a1']);
  });

  test('redacts well-known secret keys of logged objects, at the top and nested', () => {
    const { logger, lines } = capture('info');
    logger.info('request', {
      token: 'tok-top-1',
      resumeToken: 'resume-2',
      headers: { authorization: 'Bearer admin-3', cookie: 'wsl_browser=cookie-4' },
      poll: { vote: { choice: 'option-5' } },
      turn: { credential: 'cred-6', username: '1700000000:p-1' },
      roomId: 'room-1',
    });
    const text = lines.join('');
    for (const secret of ['tok-top-1', 'resume-2', 'admin-3', 'cookie-4', 'option-5', 'cred-6']) expect(text).not.toContain(secret);
    expect(text).toContain('"roomId":"room-1"');
    expect(text).toContain('[redacted]');
  });

  test('scrubs JWT-shaped tokens and registered secrets out of messages and error texts', () => {
    const { logger, lines } = capture('info');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoicm9vbS0xIn0.c2lnbmF0dXJlLXBhcnQ';
    neverLog(logger.child('any'), 'the-admin-secret-value', undefined, 'short', 'pass"word\\x');
    logger.info('connecting', { url: 'redis://:pass"word\\x@host' });
    logger.warn(`invite ${jwt} refused`, new Error('bad bearer the-admin-secret-value'));
    logger.info('a short word stays');
    const text = lines.join('');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('the-admin-secret-value');
    expect(text).toContain('"url":"redis://:[redacted]@host"');
    expect(text).toContain('invite [redacted] refused');
    expect(text).toContain('a short word stays');
  });

  test('the pretty format is readable: level, name, message and fields on lines of their own, no JSON braces first', () => {
    const { logger, lines } = capture('info', { format: 'pretty', colorize: false });
    logger.child('rooms', { roomId: 'room-1' }).warn('snapshot failed', new Error('disk full'));
    const text = lines.join('');
    expect(text.startsWith('{')).toBe(false);
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN \(wsl:rooms\/\d+\): snapshot failed\n/);
    expect(text).toContain('roomId: "room-1"');
    expect(text).toContain('Error: disk full');
    expect(text).not.toContain('\u001b[');
  });

  test('passwordOf() finds the password of a URL such as REDIS_URL, and nothing otherwise', () => {
    expect(passwordOf('redis://:s%40cret@127.0.0.1:6379')).toBe('s@cret');
    expect(passwordOf('redis://127.0.0.1:6379')).toBeUndefined();
    expect(passwordOf(undefined)).toBeUndefined();
    expect(passwordOf('not a url')).toBeUndefined();
  });
});
