/**
 * The program on one audience router: a DirectTransport with one producer per program track,
 * fed by the server (ProgramTrack) rather than piped from the room's router. Viewers on this
 * router consume these producers; their requests for a key frame come back here as RTCP and
 * go to the track's source.
 */
import type { types } from 'mediasoup';
import type { MediaSource } from '../../signaling/schemas.js';
import { asksForKeyFrame } from './rtpPackets.js';
import type { ProgramTrack } from './ProgramTrack.js';
import type { RouterAppData } from './transports.js';

/** The program's tracks by name. */
export type ProgramTracks = { video: ProgramTrack; floorAudio: ProgramTrack; chairAudio: ProgramTrack };
export type TrackName = keyof ProgramTracks;

/** App data of a program producer: which track, as the viewer's ConsumerInfo names its source. */
export type ProgramAppData = { track: TrackName; source: MediaSource };

/** Header extensions worth keeping through the program (the rest are per hop). */
const KEPT_EXTENSIONS = new Set([
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:3gpp:video-orientation',
  'urn:ietf:params:rtp-hdrext:toffset',
]);

/** One audience router's program producers. */
export class ProgramOutlet {
  readonly router: types.Router<RouterAppData>;
  readonly producers: ReadonlyArray<types.Producer<ProgramAppData>>;
  readonly #transport: types.DirectTransport;

  private constructor(router: types.Router<RouterAppData>, transport: types.DirectTransport, producers: Array<types.Producer<ProgramAppData>>) {
    this.router = router;
    this.#transport = transport;
    this.producers = producers;
  }

  /** Makes the program's producers on `router` and has the tracks feed them. */
  static async create(router: types.Router<RouterAppData>, tracks: ProgramTracks): Promise<ProgramOutlet> {
    const transport = await router.createDirectTransport();
    try {
      const producers: Array<types.Producer<ProgramAppData>> = [];
      for (const [name, track] of Object.entries(tracks) as Array<[TrackName, ProgramTrack]>) {
        const producer = await transport.produce<ProgramAppData>({
          kind: track.format.kind,
          rtpParameters: programRtpParameters(router.rtpCapabilities, track),
          appData: { track: name, source: track.format.kind === 'video' ? 'camera' : 'mic' },
        });
        producers.push(producer);
        track.addOutput(producer);
      }
      // NOTE: a viewer's consumer asks the program producer for a key frame when it resumes or
      // loses one; only the source can make one, so the request goes on to it.
      transport.on('rtcp', (packet) => {
        if (asksForKeyFrame(packet)) tracks.video.requestKeyFrame();
      });
      return new ProgramOutlet(router, transport, producers);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  /** Closes the producers (and every viewer's consumer of them); the router is the owner's. */
  close(): void {
    this.#transport.close();
  }
}

/** The router codec a program track is made of (VP8 video, Opus audio). */
export function programCodec(caps: types.RtpCapabilities, kind: 'audio' | 'video'): types.RtpCodecCapability {
  const mimeType = kind === 'video' ? 'video/vp8' : 'audio/opus';
  const codec = caps.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType);
  if (!codec) throw new TypeError(`the router offers no ${mimeType}`);
  return codec;
}

/** Capabilities that receive exactly the program's codec of this kind (for the source consumers). */
export function programReceiveCapabilities(caps: types.RtpCapabilities, kind: 'audio' | 'video'): types.RtpCapabilities {
  return { codecs: [programCodec(caps, kind)], headerExtensions: (caps.headerExtensions ?? []).filter((e) => e.kind === kind) };
}

function programRtpParameters(caps: types.RtpCapabilities, track: ProgramTrack): types.RtpParameters {
  const codec = programCodec(caps, track.format.kind);
  return {
    codecs: [
      {
        mimeType: codec.mimeType,
        payloadType: track.format.payloadType,
        clockRate: codec.clockRate,
        ...(codec.channels === undefined ? {} : { channels: codec.channels }),
        parameters: codec.parameters ?? {},
        // The producer asks its sender (this process) for key frames only by the means listed here.
        rtcpFeedback: track.format.kind === 'video' ? [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] : [],
      },
    ],
    headerExtensions: (caps.headerExtensions ?? [])
      .filter((e) => e.kind === track.format.kind && KEPT_EXTENSIONS.has(e.uri))
      .map((e) => ({ uri: e.uri, id: e.preferredId })),
    encodings: [{ ssrc: track.format.ssrc }],
    rtcp: { cname: 'program', reducedSize: true },
  };
}
