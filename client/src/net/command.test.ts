import { describe, expect, test } from 'vitest';
import { CommandId } from '../../../signaling/room/commands.js';
import { ClientError } from '../errors.js';
import { checkFields, newCommandId, sendWithRetry } from './command.js';

describe('sendWithRetry()', () => {
  test('after a timeout sends the same payload again, with the same commandId', async () => {
    const sent: Array<{ commandId: string }> = [];
    const payload = { participantId: 'p1', commandId: newCommandId() };
    const ack = await sendWithRetry(payload, async (p) => {
      sent.push(p);
      if (sent.length === 1) throw new ClientError('TIMEOUT', 'no answer');
      return { seq: 7 };
    });
    expect(ack).toEqual({ seq: 7 });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(sent[1]?.commandId).toBe(payload.commandId);
  });

  test('retries only once: a second timeout is the answer', async () => {
    let attempts = 0;
    const failing = sendWithRetry({ commandId: newCommandId() }, async () => {
      attempts++;
      throw new ClientError('TIMEOUT');
    });
    await expect(failing).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(attempts).toBe(2);
  });

  test('a refusal is not retried', async () => {
    let attempts = 0;
    const refused = sendWithRetry({ commandId: newCommandId() }, async () => {
      attempts++;
      throw new ClientError('FORBIDDEN');
    });
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(attempts).toBe(1);
  });
});

describe('sendWithRetry() when the server is busy', () => {
  test('UNAVAILABLE and CONFLICT are sent again after growing pauses, with the same commandId, until an answer', async () => {
    const sent: string[] = [];
    const slept: number[] = [];
    const payload = { commandId: newCommandId() };
    const answers = ['UNAVAILABLE', 'CONFLICT', 'UNAVAILABLE'] as const;
    const ack = await sendWithRetry(
      payload,
      async (p) => {
        sent.push(p.commandId);
        const code = answers[sent.length - 1];
        if (code) throw new ClientError(code);
        return { seq: 3 };
      },
      1,
      [10, 20, 40, 80],
      async (ms) => {
        slept.push(ms);
      },
    );
    expect(ack).toEqual({ seq: 3 });
    expect(sent).toEqual([payload.commandId, payload.commandId, payload.commandId, payload.commandId]);
    expect(slept).toEqual([10, 20, 40]);
  });

  test('gives up after the last pause: the failure is the answer', async () => {
    let attempts = 0;
    const failing = sendWithRetry(
      { commandId: newCommandId() },
      async () => {
        attempts++;
        throw new ClientError('UNAVAILABLE');
      },
      1,
      [1, 1],
      async () => undefined,
    );
    await expect(failing).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(attempts).toBe(3);
  });
});

describe('newCommandId()', () => {
  test('is a valid CommandId and differs each time', () => {
    const a = newCommandId();
    expect(CommandId.safeParse(a).success).toBe(true);
    expect(newCommandId()).not.toBe(a);
  });

  test('is built from the random bytes it is given', () => {
    expect(newCommandId((b) => b.fill(0xab))).toBe('ab'.repeat(16));
  });
});

describe('checkFields()', () => {
  test('accepts fields the schema accepts and refuses others with BAD_REQUEST', () => {
    expect(() => checkFields('queue:raise', { speechType: 'order', note: '' })).not.toThrow();
    expect(() => checkFields('floor:extend', { seconds: 1 })).toThrow(ClientError);
    try {
      checkFields('poll:create', { question: '', kind: 'yesno' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });
});
