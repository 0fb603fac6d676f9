/**
 * Loudness of a block of time-domain samples (AnalyserNode.getFloatTimeDomainData), mapped to
 * 0…1 for a level meter: RMS in dBFS, with -60 dB as silence and 0 dB as full scale, because a
 * linear RMS barely moves for normal speech.
 */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    sum += s * s;
  }
  return levelFromMeanSquare(sum / samples.length);
}

/** The same mapping from the mean of the squared samples (for sums gathered over many blocks). */
export function levelFromMeanSquare(meanSquare: number): number {
  if (!(meanSquare > 0)) return 0;
  const db = 10 * Math.log10(meanSquare);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
