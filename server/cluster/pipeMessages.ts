/**
 * The messages MediaPipes exchanges between processes, one zod schema each. They arrive over
 * the network (Redis): every one is parsed before it is looked at.
 *
 * A link joins one room's routers on two processes. The process that calls `link` offers its
 * pipe transport's address; the other answers with its own; then each side announces its
 * local peers and pipes its local producers to the other. Every message after the offer
 * carries the offer's `linkId`, so that messages of an earlier link between the same two
 * processes (torn down and made again) are told apart and dropped.
 */
import { z } from 'zod';
import { MediaSourceSchema, RtpParametersSchema } from '../../signaling/schemas.js';

/** Raised when the messages change incompatibly; an offer of another version is rejected. */
export const PIPE_PROTOCOL_VERSION = 1;

const id = z.string().min(1).max(128);
const link = { roomId: id, linkId: z.uuid() };

/** A pipe transport's end: where it receives, and the SRTP key it expects. */
const endpoint = {
  ip: z.string().min(1).max(256),
  port: z.number().int().min(1).max(65535),
  srtp: z.object({
    cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
    keyBase64: z.string().min(1).max(256),
  }),
};

/** Every message between two processes' media pipes. */
export const PipeMessageSchema = z.discriminatedUnion('type', [
  /** "Join our routers for this room": the offerer's pipe transport. */
  z.object({ type: z.literal('pipe:offer'), version: z.number().int(), ...link, ...endpoint }),
  /** The answerer's pipe transport, already connected to the offerer's. */
  z.object({ type: z.literal('pipe:answer'), ...link, ...endpoint }),
  /** The offer cannot be taken (no media for the room here, or another version). */
  z.object({ type: z.literal('pipe:reject'), ...link, reason: z.enum(['no-room', 'version']) }),
  /** The sender dropped the link: drop its producers and peers. */
  z.object({ type: z.literal('pipe:close'), ...link }),
  /** A participant with media on the sender's side (so receivers can show a tile for them). */
  z.object({ type: z.literal('peer:joined'), ...link, peerId: id, displayName: z.string().max(256) }),
  /** That participant left the sender's side. */
  z.object({ type: z.literal('peer:left'), ...link, peerId: id }),
  /** A producer is being piped: make its twin on the receiving router with these parameters. */
  z.object({
    type: z.literal('producer:open'),
    ...link,
    producerId: z.uuid(),
    kind: z.enum(['audio', 'video']),
    rtpParameters: RtpParametersSchema,
    paused: z.boolean(),
    peerId: id,
    source: MediaSourceSchema,
  }),
  /** The piped producer was paused or resumed at its source. */
  z.object({ type: z.literal('producer:paused'), ...link, producerId: z.uuid(), paused: z.boolean() }),
  /** The piped producer closed at its source. */
  z.object({ type: z.literal('producer:close'), ...link, producerId: z.uuid() }),
]);

/** A parsed pipe message. */
export type PipeMessage = z.infer<typeof PipeMessageSchema>;

/** A pipe message of one type. */
export type PipeMessageOf<T extends PipeMessage['type']> = Extract<PipeMessage, { type: T }>;
