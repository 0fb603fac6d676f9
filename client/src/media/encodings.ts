/** How each source is captured and encoded. */
import type { types as ms } from 'mediasoup-client';

/** Capture size of the camera; the top simulcast layer. */
export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

/** Microphone processing suited to a meeting room. */
export const MIC_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/**
 * Camera simulcast: three layers, each twice the height of the one below, so a small tile can
 * take the 180p layer while the stage takes 720p. L1T3 lets the server also drop frame rate.
 */
export const CAMERA_ENCODINGS: ms.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000, scalabilityMode: 'L1T3' },
];

/** Start the camera near its top layer instead of ramping up from Chrome's 300 kbps default. */
export const CAMERA_CODEC_OPTIONS: ms.ProducerCodecOptions = { videoGoogleStartBitrate: 1000 };

/** Screen share: one sharp layer; text needs resolution more than frame rate. */
export const SCREEN_ENCODINGS: ms.RtpEncodingParameters[] = [{ maxBitrate: 1_500_000, dtx: true }];

/** Opus with in-band FEC for lossy links and DTX to save bandwidth while silent. */
export const MIC_CODEC_OPTIONS: ms.ProducerCodecOptions = { opusFec: true, opusDtx: true };
