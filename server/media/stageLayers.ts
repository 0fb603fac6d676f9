/**
 * What the stage and audio-only mean for one producer or consumer: the top simulcast layer of
 * a consumer, and whether the server holds a consumer or a camera paused. Pure, so the rules
 * are testable without a worker.
 */
import type { MediaSource } from '../../signaling/schemas.js';
import type { ConsumerLayers } from './Peer.js';

/** What the layer rule reads of a consumer. */
export type LayeredConsumer = {
  readonly type: string;
  readonly rtpParameters: { readonly encodings?: ReadonlyArray<{ readonly scalabilityMode?: string | undefined }> | undefined };
};

/**
 * The highest spatial and temporal layer a consumer can forward, or null when it has no layers
 * to choose (a single-encoding video such as a screen share). NOTE: mediasoup describes a
 * simulcast consumer's layers as one encoding with scalabilityMode `L<spatial>T<temporal>`
 * (three simulcast encodings of L1T3 → L3T3).
 */
export function topLayers(consumer: LayeredConsumer): ConsumerLayers | null {
  if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return null;
  const mode = consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? '';
  const match = /^[LS](\d+)T(\d+)/.exec(mode);
  if (match === null) return null;
  return { spatialLayer: Number(match[1]) - 1, temporalLayer: Number(match[2]) - 1 };
}

/**
 * Where a camera consumer starts, before its page says what it shows: the lowest layer. A page
 * joining a meeting of twenty cameras shows twenty small tiles; starting each at the top would
 * send it twenty full pictures (and their key frames) first, and its tiles the wrong layer until
 * its asks arrive. The stage raises the floor holder's camera (MediaRoom.setStage).
 */
export const STARTING_LAYERS: ConsumerLayers = { spatialLayer: 0 };

/** What the pause rules read of a peer. */
export type PausingPeer = { readonly audioOnly: boolean; readonly clientPaused: ReadonlySet<string> };

/** What the pause rules read of a consumer or producer. */
export type SourcedMedia = { readonly id: string; readonly kind: 'audio' | 'video'; readonly appData: { readonly peerId: string; readonly source: MediaSource } };

/** Whether a video consumer shows the stage: the floor holder's camera, or a screen share. */
export function onStage(consumer: SourcedMedia, holders: ReadonlySet<string>): boolean {
  if (consumer.kind !== 'video') return false;
  return consumer.appData.source === 'screen' || holders.has(consumer.appData.peerId);
}

/**
 * Whether the server holds a consumer paused: when its client asked (or has not resumed it
 * yet), or when its peer is audio-only and it is video off the stage. Audio always flows.
 */
export function consumerShouldPause(peer: PausingPeer, consumer: SourcedMedia, holders: ReadonlySet<string>): boolean {
  if (peer.clientPaused.has(consumer.id)) return true;
  return peer.audioOnly && consumer.kind === 'video' && !onStage(consumer, holders);
}

/** What the pause rules read of a peer for its own producers. */
export type MutingPeer = { readonly audioOnly: boolean; readonly audioAllowed: boolean; readonly selfMuted: ReadonlySet<string> };

/**
 * Whether the server holds a producer paused: its sender muted it, or it is a microphone the
 * room does not let be heard now (floor, the host's mute), or an audio-only peer's camera.
 */
export function producerShouldPause(peer: MutingPeer, producer: SourcedMedia): boolean {
  if (peer.selfMuted.has(producer.id)) return true;
  if (producer.kind === 'audio') return !peer.audioAllowed;
  return cameraShouldPause(peer, producer);
}

/** Whether an audio-only peer's producer is its camera, which the server holds paused. */
export function cameraShouldPause(peer: Pick<PausingPeer, 'audioOnly'>, producer: Pick<SourcedMedia, 'appData'>): boolean {
  return peer.audioOnly && producer.appData.source === 'camera';
}
