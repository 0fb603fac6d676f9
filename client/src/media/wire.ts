/**
 * Between mediasoup-client's types and the protocol's. The protocol's media types are inferred
 * from zod schemas, so data crossing in either direction is parsed with those schemas rather
 * than cast: what the browser sends is exactly what the server will accept.
 */
import type { types as ms } from 'mediasoup-client';
import { z } from 'zod';
import type { TransportOptions } from '../../../signaling/protocol.js';
import {
  MediaSourceSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  type MediaSource,
  type RtpCapabilities,
  type RtpParameters,
} from '../../../signaling/schemas.js';
import { ClientError } from '../errors.js';

const CapabilitiesResponse = z.object({ routerRtpCapabilities: RtpCapabilitiesSchema });

/** The body of `GET /api/rtp-capabilities`. */
export function parseCapabilitiesResponse(body: unknown): RtpCapabilities {
  const parsed = CapabilitiesResponse.safeParse(body);
  if (!parsed.success) throw new ClientError('CAPABILITIES', parsed.error.message);
  return parsed.data.routerRtpCapabilities;
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

/** Server transport options as mediasoup-client wants them. */
export function toClientTransportOptions(options: TransportOptions): ms.TransportOptions {
  return {
    id: options.id,
    iceParameters: options.iceParameters,
    iceCandidates: options.iceCandidates,
    dtlsParameters: options.dtlsParameters,
    // The SFU is reached directly: its candidates are all a client needs.
    iceServers: [],
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
