/**
 * Between mediasoup-client's types and the protocol's. The protocol's media types are inferred
 * from zod schemas, so data crossing in either direction is parsed with those schemas rather
 * than cast: what the browser sends is exactly what the server will accept.
 */
import type { types as ms } from 'mediasoup-client';
import { z } from 'zod';
import { RtpCapabilitiesAnswer } from '../../../signaling/http/health.js';
import type { TransportOptions } from '../../../signaling/protocol.js';
import {
  HEADER_EXTENSION_URIS,
  MediaSourceSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  type MediaSource,
  type RtpCapabilities,
  type RtpParameters,
} from '../../../signaling/schemas.js';
import { ClientError } from '../errors.js';


type WireHeaderExtensionUri = (typeof HEADER_EXTENSION_URIS)[number];

/** Header extensions the server (mediasoup) may name that mediasoup-client does not know. */
const SERVER_ONLY_URIS = ['urn:ietf:params:rtp-hdrext:toffset'] as const satisfies ReadonlyArray<
  Exclude<WireHeaderExtensionUri, ms.RtpHeaderExtensionUri>
>;
// NOTE: fails to compile when a new mediasoup or mediasoup-client makes the two lists differ
// in a way SERVER_ONLY_URIS does not cover, instead of letting an unknown URI through.
const coversEveryServerOnlyUri: Exclude<WireHeaderExtensionUri, ms.RtpHeaderExtensionUri> extends (typeof SERVER_ONLY_URIS)[number]
  ? true
  : never = true;
void coversEveryServerOnlyUri;

function knownToDevice<T extends { uri: WireHeaderExtensionUri }>(extension: T): extension is T & { uri: ms.RtpHeaderExtensionUri } {
  return !(SERVER_ONLY_URIS as readonly string[]).includes(extension.uri);
}

/** The body of `GET /api/rtp-capabilities`, as mediasoup-client's Device loads it. */
export function parseCapabilitiesResponse(body: unknown): ms.RtpCapabilities {
  const parsed = RtpCapabilitiesAnswer.safeParse(body);
  if (!parsed.success) throw new ClientError('CAPABILITIES', parsed.error.message);
  const { codecs, headerExtensions } = parsed.data.routerRtpCapabilities;
  return {
    ...(codecs === undefined ? {} : { codecs }),
    ...(headerExtensions === undefined ? {} : { headerExtensions: headerExtensions.filter(knownToDevice) }),
  };
}

/** A consumer's parameters from the server, as mediasoup-client's `consume` takes them. */
export function toDeviceRtpParameters(parameters: RtpParameters): ms.RtpParameters {
  const { headerExtensions, ...rest } = parameters;
  return headerExtensions === undefined ? rest : { ...rest, headerExtensions: headerExtensions.filter(knownToDevice) };
}

/** The device's receive capabilities as `room:join` carries them. */
export function toWireCapabilities(capabilities: ms.RtpCapabilities): RtpCapabilities {
  const parsed = RtpCapabilitiesSchema.safeParse(capabilities);
  if (!parsed.success) throw new ClientError('UNSUPPORTED_MEDIA', parsed.error.message);
  return parsed.data;
}

/** A new producer's parameters as `media:produce` carries them. */
export function toWireRtpParameters(parameters: ms.RtpParameters): RtpParameters {
  const parsed = RtpParametersSchema.safeParse(parameters);
  if (!parsed.success) throw new ClientError('UNSUPPORTED_MEDIA', parsed.error.message);
  return parsed.data;
}

const IceServersSchema = z.array(
  z.object({
    urls: z.array(z.string().regex(/^turns?:\S+$/)).min(1),
    username: z.string().min(1),
    credential: z.string().min(1),
  }),
);

/**
 * The relays the server offers, as RTCPeerConnection takes them; none when it offers none.
 * NOTE: relays the browser would refuse (a malformed URL) are left out rather than failing
 * the transport: the direct path may well work without them.
 */
export function toRtcIceServers(iceServers: unknown): RTCIceServer[] {
  if (iceServers === undefined) return [];
  const parsed = IceServersSchema.safeParse(iceServers);
  if (!parsed.success) {
    console.warn('relays left out: not as the protocol says', parsed.error.message);
    return [];
  }
  return parsed.data.map(({ urls, username, credential }) => ({ urls, username, credential }));
}

/** Server transport options as mediasoup-client wants them. */
export function toClientTransportOptions(options: TransportOptions): ms.TransportOptions {
  return {
    id: options.id,
    iceParameters: options.iceParameters,
    iceCandidates: options.iceCandidates,
    dtlsParameters: options.dtlsParameters,
    // The server's candidates first; a relay (TURN) when the server offers one, for halls
    // whose firewall lets no direct path through. The browser's ICE falls back to it by itself.
    iceServers: toRtcIceServers(options.iceServers),
  };
}

/** Producer appData as this client sets it, read back in the transport's 'produce' event. */
export type ProducerAppData = { source: MediaSource; paused: boolean };

/** Reads ProducerAppData back out of mediasoup's untyped appData. */
export function readProducerAppData(appData: ms.AppData): ProducerAppData {
  const source = MediaSourceSchema.safeParse(appData['source']);
  if (!source.success) throw new TypeError('producer appData without a source');
  return { source: source.data, paused: appData['paused'] === true };
}
