/**
 * Real WebRTC in Node for test peers: @roamhq/wrtc installed as the browser globals that
 * mediasoup-client's Chrome111 handler uses, and synthetic microphone and camera sources fed
 * with generated samples and frames.
 */
import wrtc from '@roamhq/wrtc';

// mediasoup-client's handler uses the browser globals; wrtc provides them in Node.
Object.assign(globalThis, {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
  MediaStream: wrtc.MediaStream,
  MediaStreamTrack: wrtc.MediaStreamTrack,
  RTCRtpSender: wrtc.RTCRtpSender,
  RTCRtpReceiver: wrtc.RTCRtpReceiver,
  RTCRtpTransceiver: wrtc.RTCRtpTransceiver,
});

/** A generated track and how to stop feeding it. */
export type SyntheticSource = { track: MediaStreamTrack; stop(): void };

/** A synthetic camera whose brightness can be changed while it runs. */
export type SyntheticCamera = SyntheticSource & {
  /** Paints `luma` from the next frame on; resolves with when (Date.now()) that frame was handed to the encoder. */
  paint(luma: number): Promise<number>;
};

/**
 * A moving gradient, so the encoder has something to encode. With `luma`, the picture is that
 * flat brightness but for a thin moving band at the top: a receiver can tell whose camera it
 * decodes by the frame's mean brightness.
 */
export function syntheticVideo(width = 320, height = 240, fps = 15, luma?: number): SyntheticCamera {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array(width * height * 1.5);
  let band = width * height;
  const fill = (value: number): void => {
    band = width * 8;
    data.fill(value, band, width * height);
  };
  if (luma !== undefined) fill(luma);
  data.fill(128, width * height);
  let painted: ((at: number) => void) | null = null;
  let n = 0;
  const timer = setInterval(() => {
    n++;
    for (let i = 0; i < band; i++) data[i] = (i + n * 7) & 0xff;
    source.onFrame({ width, height, data });
    painted?.(Date.now());
    painted = null;
  }, 1000 / fps);
  return {
    track: source.createTrack(),
    stop: () => clearInterval(timer),
    paint: (next) =>
      new Promise<number>((resolve) => {
        fill(next);
        painted = resolve;
      }),
  };
}

/** A 440 Hz tone, loud enough to count as speech for the active-speaker observer. */
export function syntheticAudio(amplitude = 8000): SyntheticSource {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const sampleRate = 48000;
  const samples = new Int16Array(sampleRate / 100);
  let t = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < samples.length; i++, t++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * t) / sampleRate));
    source.onData({ samples, sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples.length });
  }, 10);
  return { track: source.createTrack(), stop: () => clearInterval(timer) };
}

/** Mean brightness (the Y plane's mean) of an I420 frame. */
export function meanLuma(frame: { width: number; height: number; data: Uint8Array }): number {
  const n = frame.width * frame.height;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += frame.data[i]!;
  return sum / n;
}

/** Calls `onFrame` with every decoded frame of a received video track; answers how to stop. */
export function watchFrames(track: MediaStreamTrack, onFrame: (frame: { width: number; height: number; data: Uint8Array }) => void): () => void {
  const sink = new wrtc.nonstandard.RTCVideoSink(track);
  sink.onframe = (event: unknown) => {
    if (isFrameEvent(event)) onFrame(event.frame);
  };
  return () => sink.stop();
}

function isFrameEvent(event: unknown): event is { frame: { width: number; height: number; data: Uint8Array } } {
  if (typeof event !== 'object' || event === null || !('frame' in event)) return false;
  const frame = event.frame;
  return typeof frame === 'object' && frame !== null && 'data' in frame && frame.data instanceof Uint8Array;
}
