/**
 * What the test process and the process holding the Node WebRTC stack (host.ts) say to each
 * other. The WebRTC stack (@roamhq/wrtc) is native code that can crash its process when peer
 * connections close at a bad moment; held in a process of its own, a crash fails the test that
 * was using it (its requests reject) instead of taking the whole test file with it. Every test
 * peer with media (TestPeer, RoomPeer, ProgramViewer) keeps its WebRTC side there.
 * Every message is parsed on arrival, on both sides.
 */
import { z } from 'zod';
import { DtlsParametersSchema, RtpCapabilitiesSchema, RtpParametersSchema } from '../../../signaling/schemas.js';

const Json = z.unknown();

/** The transport options a MediaRoom hands out (the protocol's TransportOptions). */
export const TransportOptionsSchema = z.object({
  id: z.string(),
  iceParameters: z.object({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() }),
  iceCandidates: z.array(
    z.object({
      foundation: z.string(),
      priority: z.number(),
      address: z.string(),
      ip: z.string(),
      protocol: z.enum(['udp', 'tcp']),
      port: z.number(),
      type: z.enum(['host', 'srflx', 'prflx', 'relay']),
      tcpType: z.enum(['active', 'passive', 'so']).optional(),
    }),
  ),
  dtlsParameters: DtlsParametersSchema,
});
const TransportOptions = TransportOptionsSchema;

/** The test process asks the host. */
export const HostRequest = z.discriminatedUnion('t', [
  /** Load a Device for `peer`; answers its receive capabilities. */
  z.object({ t: z.literal('device'), id: z.number(), peer: z.string(), routerRtpCapabilities: RtpCapabilitiesSchema }),
  /** Create the peer's transports from the server's options. */
  z.object({ t: z.literal('open'), id: z.number(), peer: z.string(), send: TransportOptions.nullable(), recv: TransportOptions }),
  /**
   * Send a synthetic microphone and/or camera; answers the producers (ProducedTracks). The
   * microphone's tone has `amplitude` (0: silence), sent with Opus DTX when `dtx`; the camera
   * is painted `luma` (syntheticVideo) and sent as three simulcast layers when `simulcast`.
   */
  z.object({
    t: z.literal('produce'),
    id: z.number(),
    peer: z.string(),
    audio: z.boolean(),
    video: z.boolean(),
    amplitude: z.number().optional(),
    dtx: z.boolean().optional(),
    luma: z.number().optional(),
    simulcast: z.boolean().optional(),
  }),
  /** Receive a track the server made a consumer for; with `watchLuma`, tell each decoded frame's brightness ('frame'). */
  z.object({
    t: z.literal('consume'),
    id: z.number(),
    peer: z.string(),
    consumer: z.object({ id: z.string(), producerId: z.string(), kind: z.enum(['audio', 'video']), rtpParameters: RtpParametersSchema }),
    watchLuma: z.boolean().optional(),
  }),
  z.object({ t: z.literal('closeConsumer'), id: z.number(), peer: z.string(), consumerId: z.string() }),
  /** Stop sending one of the peer's tracks (its source stops; the server's producer stays, silent). */
  z.object({ t: z.literal('closeProducer'), id: z.number(), peer: z.string(), producerId: z.string() }),
  /** Paint the peer's camera `luma` from its next frame on; answers when (Date.now()) that frame went to the encoder. */
  z.object({ t: z.literal('paint'), id: z.number(), peer: z.string(), luma: z.number() }),
  /** Inbound RTP of the peer's receiving transport, by SSRC. */
  z.object({ t: z.literal('stats'), id: z.number(), peer: z.string() }),
  /** Stop the peer's sources and close its transports. */
  z.object({ t: z.literal('close'), id: z.number(), peer: z.string() }),
  /** The answer to one of the host's own requests (connect, produce). */
  z.object({ t: z.literal('answer'), rid: z.number(), ok: z.boolean(), data: Json.optional(), error: z.string().optional() }),
]);
export type HostRequest = z.infer<typeof HostRequest>;

/** The host tells the test process. */
export const HostMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('reply'), id: z.number(), ok: z.boolean(), data: Json.optional(), error: z.string().optional() }),
  /** mediasoup-client wants the server side of a transport connected (DTLS). */
  z.object({ t: z.literal('connect'), rid: z.number(), peer: z.string(), transportId: z.string(), dtlsParameters: DtlsParametersSchema }),
  /** mediasoup-client wants a producer made on the server. */
  z.object({
    t: z.literal('produce'),
    rid: z.number(),
    peer: z.string(),
    transportId: z.string(),
    kind: z.enum(['audio', 'video']),
    rtpParameters: RtpParametersSchema,
    source: z.enum(['mic', 'camera']),
  }),
  /** A frame of a consumer consumed with `watchLuma` was decoded: its mean brightness. */
  z.object({ t: z.literal('frame'), peer: z.string(), consumerId: z.string(), luma: z.number() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** A device's receive capabilities, as the host answers `device`. */
export const DeviceCapabilities = RtpCapabilitiesSchema;

/** One inbound RTP stream, as the host answers `stats`. */
export const InboundStream = z.object({ ssrc: z.number(), packetsReceived: z.number(), bytesReceived: z.number(), framesDecoded: z.number() });
export const InboundStreams = z.array(InboundStream);

/** The producers a `produce` made, as the host answers it. */
export const ProducedTracks = z.array(z.object({ id: z.string(), kind: z.enum(['audio', 'video']) }));
