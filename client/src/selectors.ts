/** What the room page shows, derived from State by pure functions. */
import type { RemoteConsumer, State } from './store.js';

/** One remote participant's tile. */
export type PeerTile = {
  peerId: string;
  displayName: string;
  /** Camera consumer, if the peer publishes a camera. */
  videoConsumerId: string | null;
  /** The camera exists but its sender turned it off. */
  cameraOff: boolean;
  /** No microphone, or its sender muted it. */
  micMuted: boolean;
  activeSpeaker: boolean;
};

/** Whatever takes the stage: a screen share, remote first because I know my own screen. */
export type Stage =
  | { kind: 'remote-screen'; peerId: string; displayName: string; consumerId: string }
  | { kind: 'local-screen' }
  | null;

/**
 * Remote tiles in join order (the server lists peers in join order; objects keep insertion
 * order). The public only watch: they get no tile.
 */
export function selectPeerTiles(state: State): PeerTile[] {
  const bySource = consumersByPeer(state);
  const watching = (id: string): boolean => state.room?.participants[id]?.role === 'public';
  return Object.values(state.peers).filter((peer) => !watching(peer.id)).map((peer) => {
    const mine = bySource.get(peer.id) ?? [];
    const camera = mine.find((c) => c.source === 'camera' && c.kind === 'video') ?? null;
    const mic = mine.find((c) => c.source === 'mic' && c.kind === 'audio') ?? null;
    return {
      peerId: peer.id,
      displayName: peer.displayName,
      videoConsumerId: camera?.id ?? null,
      cameraOff: camera === null || camera.producerPaused,
      micMuted: mic === null || mic.producerPaused,
      activeSpeaker: state.activeSpeakerId === peer.id,
    };
  });
}

/** The screen share to show large, if any. */
export function selectStage(state: State): Stage {
  for (const c of Object.values(state.consumers)) {
    if (c.source === 'screen' && c.kind === 'video') {
      const peer = state.peers[c.peerId];
      if (peer !== undefined) return { kind: 'remote-screen', peerId: peer.id, displayName: peer.displayName, consumerId: c.id };
    }
  }
  return state.local.screen === null ? null : { kind: 'local-screen' };
}

/** Audio to play: every remote audio consumer, screen audio included. */
export function selectAudioConsumers(state: State): RemoteConsumer[] {
  return Object.values(state.consumers).filter((c) => c.kind === 'audio');
}

/** People in the room, me included. */
export function participantCount(state: State): number {
  return Object.keys(state.peers).length + (state.phase === 'joined' ? 1 : 0);
}

function consumersByPeer(state: State): Map<string, RemoteConsumer[]> {
  const out = new Map<string, RemoteConsumer[]>();
  for (const c of Object.values(state.consumers)) {
    const list = out.get(c.peerId);
    if (list === undefined) out.set(c.peerId, [c]);
    else list.push(c);
  }
  return out;
}
