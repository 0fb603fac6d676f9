/**
 * eventsParser: a payload carrying its JSON text is encoded byte for byte as the default
 * parser encodes the payload itself, and the default decoder (the clients') reads it back.
 */
import { Decoder, Encoder as DefaultEncoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, test } from 'vitest';
import { eventsParser, withJson } from './eventsParser.js';

const payload = (): { events: Array<Record<string, unknown>> } => ({
  events: [
    { seq: 7, type: 'poll.voted', at: 1, actor: 'm1', hash: 'ab', data: { pollId: 'poll-1', voterId: 'm1', choices: [0] } },
    { seq: 8, type: 'poll.voted', at: 2, actor: 'm2', hash: 'cd', data: { pollId: 'poll-1', voterId: 'm2', note: '引号 " 和 \\ 反斜杠' } },
  ],
});

function decoded(encoded: Array<string | Buffer>): Promise<Packet> {
  const decoder = new Decoder();
  return new Promise((resolve) => {
    decoder.on('decoded', resolve);
    for (const chunk of encoded) decoder.add(chunk);
  });
}

describe('eventsParser', () => {
  test.each([
    ['to the main namespace', { nsp: '/' }],
    ['to another namespace, with an ack id', { nsp: '/audience', id: 12 }],
  ])('an event whose payload carries its JSON text is encoded as the default parser encodes the payload (%s)', async (_, fields) => {
    const plain: Packet = { type: PacketType.EVENT, data: ['room:events', payload()], ...fields };
    const value = payload();
    const carried: Packet = { type: PacketType.EVENT, data: ['room:events', withJson(value, JSON.stringify(value))], ...fields };
    const expected = new DefaultEncoder().encode(plain);
    const encoded = new eventsParser.Encoder().encode(carried);
    expect(encoded).toEqual(expected);
    expect(await decoded(encoded)).toEqual(plain);
  });

  test('the carried text is what goes out: the payload is not stringified again', () => {
    const carried: Packet = { type: PacketType.EVENT, nsp: '/', data: ['room:events', withJson({ events: [] }, '{"events":["from the text"]}')] };
    expect(new eventsParser.Encoder().encode(carried)).toEqual(['2["room:events",{"events":["from the text"]}]']);
  });

  test('anything else is encoded as by the default parser, and a carried text is invisible to JSON.stringify', () => {
    const value = withJson(payload(), 'not used');
    expect(JSON.stringify(value)).toBe(JSON.stringify(payload()));
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['room:events', payload()] },
      { type: PacketType.EVENT, nsp: '/', data: ['two', 'arguments', withJson({}, '{}')] },
      { type: PacketType.ACK, nsp: '/', id: 3, data: [withJson({ ok: true }, '{"ok":false}')] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
    ];
    for (const packet of packets) expect(new eventsParser.Encoder().encode(packet)).toEqual(new DefaultEncoder().encode(packet));
  });
});
