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

/** A moving gradient, so the encoder has something to encode. */
export function syntheticVideo(width = 320, height = 240, fps = 15): SyntheticSource {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array(width * height * 1.5);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    for (let i = 0; i < width * height; i++) data[i] = (i + n * 7) & 0xff;
    source.onFrame({ width, height, data });
  }, 1000 / fps);
  return { track: source.createTrack(), stop: () => clearInterval(timer) };
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
