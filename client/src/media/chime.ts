/**
 * A short two-tone chime for notices that ask someone to act (a person at the door, a raised
 * hand, a new ballot, the floor given to me), like the knock 腾讯会议 plays. Made with Web
 * Audio, so there is no sound file to serve; a point of order rings three tones. Silent where
 * the browser has no AudioContext (tests in jsdom) or keeps it suspended before any gesture:
 * the notice is still shown.
 */
type Tone = { hz: number; at: number };

const KNOCK: readonly Tone[] = [
  { hz: 880, at: 0 },
  { hz: 660, at: 0.16 },
];
const URGENT: readonly Tone[] = [...KNOCK, { hz: 880, at: 0.32 }];
const TONE_S = 0.14;
const VOLUME = 0.12;

/** Plays chimes on one AudioContext, made on first use. */
export class Chime {
  #context: AudioContext | null = null;

  /** Ring once; `urgent` for a point of order. */
  play(urgent = false): void {
    const context = this.#contextOrNull();
    if (context === null) return;
    // NOTE: a context made before the page had a user gesture starts suspended; joining the
    // room was a click, so resuming here normally succeeds. If it does not, the chime is lost
    // and the notice on screen remains.
    if (context.state === 'suspended') void context.resume().catch((error: unknown) => console.warn('chime: audio stays suspended', error));
    const start = context.currentTime;
    for (const tone of urgent ? URGENT : KNOCK) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = tone.hz;
      gain.gain.setValueAtTime(VOLUME, start + tone.at);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone.at + TONE_S);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + tone.at);
      oscillator.stop(start + tone.at + TONE_S);
    }
  }

  #contextOrNull(): AudioContext | null {
    if (this.#context !== null) return this.#context;
    if (typeof AudioContext === 'undefined') return null;
    this.#context = new AudioContext();
    return this.#context;
  }
}
