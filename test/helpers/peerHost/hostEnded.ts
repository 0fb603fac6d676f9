/**
 * How a test learns that the WebRTC test peers' process died (PeerHost.ts): every request still
 * pending rejects with this. vitest.config.ts runs a test that failed with it once more, and
 * only such a test: the process is a test tool (@roamhq/wrtc), and it has crashed with SIGSEGV
 * on its own (in 1 of about 15 clean-clone runs), taking every peer of the test with it.
 */
export const HOST_ENDED = "the WebRTC test peers' process ended";

/** The error for a host that ended (`how`: its signal or exit code). */
export function hostEnded(how: string): Error {
  return new Error(`${HOST_ENDED} (${how}): its peers are gone`);
}

/** Matches the message of hostEnded(), for Vitest's retry condition. */
export const HOST_ENDED_MESSAGE = new RegExp(HOST_ENDED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
