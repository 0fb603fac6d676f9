/**
 * The server's Socket.IO parser: the default one, except that a payload which carries its own
 * JSON text (`withJson`) is written as that text instead of being walked and stringified again.
 * The bytes on the wire are the default parser's, so clients keep the default parser.
 *
 * Why: in a vote storm each voter's message is the room's batch as anybody sees it, with their
 * own vote in the clear beside it (RoomHub): B messages carrying the same B votes for a batch
 * of B votes. Encoded by the default parser, every one of those messages is searched for
 * binary and stringified whole; with the shared part's text made once and joined, a batch
 * costs one stringified batch and B small joins.
 */
import { Decoder, Encoder as DefaultEncoder, PacketType, type Packet } from 'socket.io-parser';

const JSON_TEXT = Symbol('json text');

type WithJson = { readonly [JSON_TEXT]: string };

function hasJson(value: unknown): value is WithJson {
  return typeof value === 'object' && value !== null && JSON_TEXT in value;
}

/**
 * `value`, carrying `json`, which must be `JSON.stringify(value)`: the server writes that text
 * as the payload. Any other encoder (JSON.stringify skips a symbol's key) encodes `value` itself.
 */
export function withJson<T extends object>(value: T, json: string): T {
  Object.defineProperty(value, JSON_TEXT, { value: json, enumerable: false });
  return value;
}

/** Encodes an event whose one argument carries its JSON text from that text; anything else as the default. */
class Encoder extends DefaultEncoder {
  override encode(packet: Packet): Array<string | Buffer> {
    const data: unknown = packet.data;
    if (packet.type === PacketType.EVENT && Array.isArray(data) && data.length === 2 && typeof data[0] === 'string' && hasJson(data[1])) {
      // As the default encodeAsString writes it: type, namespace unless '/', ack id, then the JSON array.
      const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
      const id = packet.id === undefined || packet.id === null ? '' : String(packet.id);
      return [`${PacketType.EVENT}${nsp}${id}[${JSON.stringify(data[0])},${data[1][JSON_TEXT]}]`];
    }
    return super.encode(packet);
  }
}

/** The parser to give Socket.IO's server (`parser` option). */
export const eventsParser = { Encoder, Decoder };
