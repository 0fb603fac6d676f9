/**
 * A short two-tone chime for notices that ask someone to act (a person at the door, a raised
 * hand, a new ballot, the floor given to me), like the knock 腾讯会议 plays; a point of order
 * rings three tones. The tones are written into a small WAV file in memory (chimeWav), so there
 * is no sound file to serve, and played by an <audio> element.
 *
 * Why not Web Audio: `new AudioContext()` waits, on the page's main thread, for the browser's
 * audio service to hand it an output device. When that service is slow or stuck (a device
 * change, a busy machine), Chromium waits up to 10 s, twice over: with the service stopped, a
 * page that made one did not answer for 20 s (bench/audio-stall.ts). An <audio> element asks
 * for its output off the main thread; the page stays responsive and the chime plays when the
 * device answers.
 *
 * Silent where the page cannot make a file URL (tests in jsdom) or the browser refuses to play
 * (no gesture yet): the notice is still shown.
 */

/** One tone of a chime: its pitch and when it starts, in seconds from the chime's start. */
export type Tone = { hz: number; at: number };

export const KNOCK: readonly Tone[] = [
  { hz: 880, at: 0 },
  { hz: 660, at: 0.16 },
];
export const URGENT: readonly Tone[] = [...KNOCK, { hz: 880, at: 0.32 }];
/** How long each tone sounds, fading out. */
export const TONE_S = 0.14;
/** Peak amplitude, of full scale: a knock, not an alarm. */
const VOLUME = 0.12;
/** Samples per second: plenty for tones under 1 kHz, and a chime file of a few KB. */
export const CHIME_RATE = 16_000;

/**
 * A mono 16-bit PCM WAV file of `tones`: each a sine at its pitch that starts at VOLUME and
 * decays exponentially to silence over TONE_S (the envelope the knock had in Web Audio).
 */
export function chimeWav(tones: readonly Tone[], rate = CHIME_RATE): Uint8Array<ArrayBuffer> {
  const seconds = Math.max(...tones.map((t) => t.at + TONE_S));
  const samples = Math.ceil(seconds * rate);
  const pcm = new Float32Array(samples);
  // Exponential decay from VOLUME to 1/10000 of full scale over TONE_S, as Web Audio's ramp did.
  const decayPerSecond = Math.log(VOLUME / 0.0001) / TONE_S;
  for (const tone of tones) {
    const first = Math.round(tone.at * rate);
    const length = Math.round(TONE_S * rate);
    for (let i = 0; i < length && first + i < samples; i++) {
      const t = i / rate;
      pcm[first + i] = (pcm[first + i] ?? 0) + VOLUME * Math.exp(-decayPerSecond * t) * Math.sin(2 * Math.PI * tone.hz * t);
    }
  }
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // the fmt chunk's size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per sample frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, pcm[i] ?? 0)) * 32767), true);
  return bytes;
}

/** Plays the chimes; each sound's file is made on its first use. */
export class Chime {
  readonly #urls = new Map<readonly Tone[], string | null>();
  #warned = false;

  /** Ring once; `urgent` for a point of order. */
  play(urgent = false): void {
    const tones = urgent ? URGENT : KNOCK;
    const url = this.#urlOf(tones);
    if (url === null) return;
    const audio = new Audio(url);
    // How many tones this sound holds: browser tests count what a page rang by it.
    audio.dataset['tones'] = String(tones.length);
    audio.play().catch((error: unknown) => {
      // NOTE: refused before the page had a user gesture, or no output device: the chime is
      // lost and the notice on screen remains. Said once, not at every notice.
      if (!this.#warned) console.warn('chime: not played', error);
      this.#warned = true;
    });
  }

  #urlOf(tones: readonly Tone[]): string | null {
    const known = this.#urls.get(tones);
    if (known !== undefined) return known;
    const url =
      typeof Audio === 'undefined' || typeof URL.createObjectURL !== 'function'
        ? null
        : URL.createObjectURL(new Blob([chimeWav(tones)], { type: 'audio/wav' }));
    this.#urls.set(tones, url);
    return url;
  }
}
