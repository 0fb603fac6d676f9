/**
 * What the test process and the process holding the Node WebRTC stack (host.ts) say to each
 * other. The WebRTC stack (@roamhq/wrtc) is native code that can crash its process when peer
 * connections close at a bad moment; held in a process of its own, a crash fails the test that
 * was using it (its requests reject) instead of taking the whole test file with it.
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
  /** Send a synthetic microphone and/or camera; answers the producer ids. */
  z.object({ t: z.literal('produce'), id: z.number(), peer: z.string(), audio: z.boolean(), video: z.boolean() }),
  /** Receive a track the server made a consumer for. */
  z.object({
    t: z.literal('consume'),
    id: z.number(),
    peer: z.string(),
    consumer: z.object({ id: z.string(), producerId: z.string(), kind: z.enum(['audio', 'video']), rtpParameters: RtpParametersSchema }),
  }),
  z.object({ t: z.literal('closeConsumer'), id: z.number(), peer: z.string(), consumerId: z.string() }),
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
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** A device's receive capabilities, as the host answers `device`. */
export const DeviceCapabilities = RtpCapabilitiesSchema;

/** One inbound RTP stream, as the host answers `stats`. */
export const InboundStream = z.object({ ssrc: z.number(), packetsReceived: z.number(), framesDecoded: z.number() });
export const InboundStreams = z.array(InboundStream);
