/**
 * Why a transport that was offered a relay (TURN) still cannot connect: a throwaway
 * RTCPeerConnection that may only use the relay asks it for an allocation with the same
 * credentials. The browser's ICE says no more than "failed"; this tells the two causes an
 * operator can act on apart: the relay refused the credential (a TURN_SECRET that is not
 * coturn's static-auth-secret, an expired one, clocks far apart), or it cannot be reached (a
 * firewall, a wrong address or port).
 */

/** What the relay answered: an allocation, a refusal of the credential, or nothing. */
export type RelayVerdict = 'reachable' | 'refused' | 'unreachable';

/** The part of RTCPeerConnection a probe uses (a stand-in in unit tests). */
export type ProbeConnection = {
  addEventListener(type: 'icecandidate', listener: (event: { candidate: { candidate: string } | null }) => void): void;
  addEventListener(type: 'icecandidateerror', listener: (event: { errorCode: number }) => void): void;
  createDataChannel(label: string): unknown;
  createOffer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void>;
  close(): void;
};

/** How long to wait for the relay: a few of the TURN client's retransmissions. */
export const PROBE_TIMEOUT_MS = 8_000;

/** STUN's 401 Unauthorized: the relay refused the credential (RFC 8489 §14.8). */
const UNAUTHORIZED = 401;

/**
 * Asks the relays for an allocation and answers what happened: 'reachable' on the first relay
 * candidate, 'refused' on a 401 from any of them, 'unreachable' when gathering ends, or the
 * time runs out, with neither.
 */
export async function probeRelay(
  iceServers: RTCIceServer[],
  {
    timeoutMs = PROBE_TIMEOUT_MS,
    connect = (config: RTCConfiguration): ProbeConnection => new RTCPeerConnection(config),
  }: { timeoutMs?: number; connect?: (config: RTCConfiguration) => ProbeConnection } = {},
): Promise<RelayVerdict> {
  const pc = connect({ iceServers, iceTransportPolicy: 'relay' });
  try {
    const verdict = new Promise<RelayVerdict>((resolve) => {
      const timer = setTimeout(() => resolve('unreachable'), timeoutMs);
      const settle = (value: RelayVerdict): void => {
        clearTimeout(timer);
        resolve(value);
      };
      pc.addEventListener('icecandidate', (event) => {
        // NOTE: with a relay-only policy every candidate is a relay's; null ends gathering.
        if (event.candidate === null) settle('unreachable');
        else if (event.candidate.candidate !== '') settle('reachable');
      });
      pc.addEventListener('icecandidateerror', (event) => {
        if (event.errorCode === UNAUTHORIZED) settle('refused');
      });
    });
    // Something to negotiate, so that the browser gathers at all.
    pc.createDataChannel('relay-probe');
    await pc.setLocalDescription(await pc.createOffer());
    return await verdict;
  } finally {
    pc.close();
  }
}
