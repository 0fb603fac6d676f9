/**
 * One zod schema per client→server payload. The server parses every payload with these
 * before it looks at it; the types of the protocol are inferred from them.
 *
 * The media schemas check shape and bounds; mediasoup itself then checks meaning (codec
 * support, payload types) and its complaints are mapped to BAD_REQUEST too.
 */
import { z } from 'zod';

const uint = z.number().int().min(0).max(0xffffffff);
const shortText = z.string().max(256);
/** Codec parameters: at most 32, each a short string or a finite number. Typed loosely
 * (as mediasoup types them) so capabilities can travel back out unchanged. */
const codecParameters = z
  .record(z.string().max(64), z.unknown())
  .refine(
    (params) =>
      Object.keys(params).length <= 32 &&
      Object.values(params).every((v) =>
        typeof v === 'string' ? v.length <= 512 : typeof v === 'number' && Number.isFinite(v),
      ),
    'codec parameters must be at most 32 strings or numbers',
  );

/**
 * Header extension URIs mediasoup understands (its RtpHeaderExtensionUri type). The browser's
 * mediasoup-client knows all but toffset; client/src/media/wire.ts drops what it does not.
 */
export const HEADER_EXTENSION_URIS = [
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
  'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension',
  // mediasoup's own, between routers (pipe transports).
  'urn:mediasoup:params:rtp-hdrext:packet-id',
] as const;

const mediaKind = z.enum(['audio', 'video']);
const rtcpFeedback = z.object({ type: shortText, parameter: shortText.optional() });

const rtpCodecCapability = z.object({
  kind: mediaKind,
  mimeType: shortText,
  preferredPayloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
});

const rtpHeaderExtension = z.object({
  kind: mediaKind,
  uri: z.enum(HEADER_EXTENSION_URIS),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

/** What a client device can receive (mediasoup-client `device.rtpCapabilities`). */
export const RtpCapabilitiesSchema = z.object({
  codecs: z.array(rtpCodecCapability).max(64).optional(),
  headerExtensions: z.array(rtpHeaderExtension).max(64).optional(),
});

/** What a client sends for one producer (mediasoup-client's `produce` event). */
export const RtpParametersSchema = z.object({
  mid: shortText.optional(),
  codecs: z
    .array(
      z.object({
        mimeType: shortText,
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().positive(),
        channels: z.number().int().min(1).max(8).optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.object({
        uri: z.enum(HEADER_EXTENSION_URIS),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: codecParameters.optional(),
      }),
    )
    .max(32)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: uint.optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: z.number().int().min(0).max(127).optional(),
        rtx: z.object({ ssrc: uint }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(16).optional(),
        maxBitrate: z.number().positive().optional(),
      }),
    )
    .max(4)
    .optional(),
  rtcp: z.object({ cname: shortText.optional(), reducedSize: z.boolean().optional() }).optional(),
});

/** DTLS parameters of the client's end of a transport. */
export const DtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().min(1).max(256),
      }),
    )
    .min(1)
    .max(8),
});

/** Where a producer's media comes from; screen share takes the stage. */
export const MediaSourceSchema = z.enum(['mic', 'camera', 'screen']);

/** `room:join` — enter a consultation with an invite, or resume after a dropped connection. */
export const JoinRoom = z.object({
  protocolVersion: z.number().int(),
  /** The signed invite token from the invite link. */
  invite: z.string().min(16).max(4096),
  /** The person's name, when the invite leaves it open. */
  name: z.string().trim().min(1).max(64).optional(),
  /** The device's receive capabilities, so existing media can be consumed right away. */
  rtpCapabilities: RtpCapabilitiesSchema,
  /** From an earlier join ack: take the same participant back within the grace period. */
  resumeToken: z.string().min(16).max(1024).optional(),
  /** The last room event seq this client holds, to receive only what it missed. */
  lastSeq: z.number().int().min(0).optional(),
});

/** `media:join` — transports for an admitted participant (after the lobby, or a media restart). */
export const JoinMedia = z.object({ rtpCapabilities: RtpCapabilitiesSchema });

/** `audience:watch` — a viewer's device capabilities, to receive the meeting's program. */
export const AudienceWatch = z.object({ rtpCapabilities: RtpCapabilitiesSchema });

/** `room:sync` — the events after `lastSeq` (a client that noticed a gap); without it, the whole room as I may see it. */
export const SyncRoom = z.object({ lastSeq: z.number().int().min(0).optional() });

/** `transport:connect` — finish DTLS setup of one of my transports. */
export const ConnectTransport = z.object({
  transportId: z.uuid(),
  dtlsParameters: DtlsParametersSchema,
});

/** `transport:restartIce` — new ICE credentials after a network change. */
export const RestartIce = z.object({ transportId: z.uuid() });

/** `media:produce` — start sending a track. */
export const Produce = z
  .object({
    transportId: z.uuid(),
    kind: mediaKind,
    rtpParameters: RtpParametersSchema,
    source: MediaSourceSchema,
    paused: z.boolean().optional(),
  })
  // NOTE: the server mutes by kind (it pauses audio producers); a track declared as video but
  // carrying Opus would slip past every mute. What a producer says it is, it must carry.
  .refine((p) => p.rtpParameters.codecs.every((codec) => codec.mimeType.toLowerCase().startsWith(`${p.kind}/`)), {
    message: "every codec's media type must match the producer's kind",
    path: ['rtpParameters', 'codecs'],
  })
  .refine((p) => (p.source === 'mic') === (p.kind === 'audio'), {
    message: 'a microphone sends audio; a camera or a screen sends video',
    path: ['source'],
  });

/** `producer:pause` / `producer:resume` / `producer:close`. */
export const ProducerRef = z.object({ producerId: z.uuid() });

/** `consumer:resume` / `consumer:pause`. */
export const ConsumerRef = z.object({ consumerId: z.uuid() });

/** `consumer:setLayers` — the simulcast layer a tile of this size needs. */
export const SetConsumerLayers = z.object({
  consumerId: z.uuid(),
  spatialLayer: z.number().int().min(0).max(3),
  temporalLayer: z.number().int().min(0).max(3).optional(),
});

/**
 * `media:audioOnly` — a weak link's way out: send no video and receive none but the stage's.
 * Live media state, not a room event: rights (queue place, floor, vote) do not change.
 */
export const SetAudioOnly = z.object({ on: z.boolean() }).strict();

/** `room:leave` and other commands without data. */
export const Empty = z.object({}).strict();

export type JoinRoom = z.infer<typeof JoinRoom>;
export type JoinMedia = z.infer<typeof JoinMedia>;
export type AudienceWatch = z.infer<typeof AudienceWatch>;
export type SyncRoom = z.infer<typeof SyncRoom>;
export type ConnectTransport = z.infer<typeof ConnectTransport>;
export type RestartIce = z.infer<typeof RestartIce>;
export type Produce = z.infer<typeof Produce>;
export type ProducerRef = z.infer<typeof ProducerRef>;
export type ConsumerRef = z.infer<typeof ConsumerRef>;
export type SetConsumerLayers = z.infer<typeof SetConsumerLayers>;
export type SetAudioOnly = z.infer<typeof SetAudioOnly>;
export type Empty = z.infer<typeof Empty>;
export type MediaSource = z.infer<typeof MediaSourceSchema>;
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;
export type RtpParameters = z.infer<typeof RtpParametersSchema>;
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;
