import { expect, test } from 'vitest';
import { ack } from '../../../signaling/protocol.js';
import { ClientError } from '../errors.js';
import { unwrapAck } from './ack.js';

test('unwrapAck() returns the data of an ok ack', () => {
  expect(unwrapAck(null, ack.ok({ producerId: 'p' }))).toEqual({ producerId: 'p' });
});

test('unwrapAck() throws a ClientError with the ack error code and detail', () => {
  let caught: unknown;
  try {
    unwrapAck(null, ack.fail('FORBIDDEN', 'no'));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ClientError);
  expect(caught).toMatchObject({ code: 'FORBIDDEN', detail: 'no' });
});

test('unwrapAck() turns a Socket.IO timeout into TIMEOUT', () => {
  expect(() => unwrapAck(new Error('operation has timed out'), undefined)).toThrow(
    expect.objectContaining({ code: 'TIMEOUT' }),
  );
});
