import { describe, expect, test } from 'vitest';
import { CHIME_RATE, chimeWav, KNOCK, TONE_S, URGENT } from './chime.js';

/** The WAV file's header fields and its samples, read back as a player would. */
function readWav(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number, length: number) => String.fromCharCode(...bytes.subarray(offset, offset + length));
  const dataBytes = view.getUint32(40, true);
  const samples = Array.from({ length: dataBytes / 2 }, (_, i) => view.getInt16(44 + i * 2, true) / 32767);
  return {
    riff: ascii(0, 4),
    riffSize: view.getUint32(4, true),
    wave: ascii(8, 4),
    fmt: ascii(12, 4),
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    rate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    bits: view.getUint16(34, true),
    data: ascii(36, 4),
    dataBytes,
    samples,
  };
}

/** The loudest sample within [from, to) seconds. */
const peak = (samples: number[], from: number, to: number) =>
  Math.max(0, ...samples.slice(Math.round(from * CHIME_RATE), Math.round(to * CHIME_RATE)).map(Math.abs));

describe('chimeWav()', () => {
  test('is a mono 16-bit PCM WAV file whose sizes agree with its length', () => {
    const bytes = chimeWav(KNOCK);
    const wav = readWav(bytes);
    expect([wav.riff, wav.wave, wav.fmt, wav.data]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect({ format: wav.format, channels: wav.channels, rate: wav.rate, bits: wav.bits, byteRate: wav.byteRate }).toEqual({
      format: 1,
      channels: 1,
      rate: 16_000,
      bits: 16,
      byteRate: 32_000,
    });
    expect(wav.riffSize).toBe(bytes.length - 8);
    expect(wav.dataBytes).toBe(bytes.length - 44);
  });

  test('the knock is two tones 0.16 s apart, each fading out, with silence between; a point of order adds a third', () => {
    const knock = readWav(chimeWav(KNOCK)).samples;
    // 0.16 s + 0.14 s of the second tone.
    expect(knock.length / CHIME_RATE).toBeCloseTo(0.3, 2);
    expect(peak(knock, 0, 0.02)).toBeGreaterThan(0.1);
    expect(peak(knock, 0, 0.02)).toBeLessThanOrEqual(0.12);
    // Faded: the end of the first tone is far quieter than its start.
    expect(peak(knock, TONE_S - 0.02, TONE_S)).toBeLessThan(peak(knock, 0, 0.02) / 10);
    expect(peak(knock, TONE_S + 0.001, 0.159)).toBe(0);
    expect(peak(knock, 0.16, 0.18)).toBeGreaterThan(0.1);

    const urgent = readWav(chimeWav(URGENT)).samples;
    expect(urgent.length / CHIME_RATE).toBeCloseTo(0.46, 2);
    expect(urgent.slice(0, knock.length)).toEqual(knock);
    expect(peak(urgent, 0.32, 0.34)).toBeGreaterThan(0.1);
  });

  test('each tone is at its pitch: zero crossings of the first 0.1 s give 880 Hz, of the second tone 660 Hz', () => {
    const samples = readWav(chimeWav(KNOCK)).samples;
    const pitch = (from: number) => {
      const part = samples.slice(Math.round(from * CHIME_RATE), Math.round((from + 0.1) * CHIME_RATE));
      let crossings = 0;
      for (let i = 1; i < part.length; i++) if (Math.sign(part[i] ?? 0) !== Math.sign(part[i - 1] ?? 0) && part[i] !== 0) crossings++;
      return crossings / 2 / 0.1;
    };
    expect(Math.abs(pitch(0) - 880)).toBeLessThan(20);
    expect(Math.abs(pitch(0.16) - 660)).toBeLessThan(20);
  });
});
