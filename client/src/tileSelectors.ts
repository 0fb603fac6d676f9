/** The room page's tiles, stage and audio, derived from State by pure functions. */
import { floorView } from './roomSelectors.js';
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
    // The newest of each: a participant whose server process died sends anew from another
    // one, and the track from before may stay listed (frozen) until that death is noticed.
    const newest = (source: string, kind: string): RemoteConsumer | null => [...mine].reverse().find((c) => c.source === source && c.kind === kind) ?? null;
    const camera = newest('camera', 'video');
    const mic = newest('mic', 'audio');
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

/** The gallery's tiles of one venue, in the room's venue order; `me` puts my own tile first. */
export type VenueTiles = {
  /** Venue id; '' for participants of a venue the room does not list. */
  venue: string;
  /** The venue's name, or null for the unlisted ones. */
  name: string | null;
  me: boolean;
  tiles: PeerTile[];
};

/**
 * Groups remote tiles by their participant's venue (主会场, then each 分会场, as the room lists
 * them). My own venue is kept even without other tiles when `withMe` (my tile goes there);
 * other empty venues are left out.
 */
export function groupTilesByVenue(state: State, tiles: PeerTile[], withMe: boolean): VenueTiles[] {
  const room = state.room;
  const venues = room?.info.venues ?? [];
  const venueOf = (peerId: string): string => room?.participants[peerId]?.venue ?? '';
  const myVenue = state.peerId === null ? null : (room?.participants[state.peerId]?.venue ?? null);
  const known = new Set(venues.map((v) => v.id));
  const groups: VenueTiles[] = venues.map((v) => ({
    venue: v.id,
    name: v.name,
    me: withMe && v.id === myVenue,
    tiles: tiles.filter((t) => venueOf(t.peerId) === v.id),
  }));
  const strays = tiles.filter((t) => !known.has(venueOf(t.peerId)));
  const meStray = withMe && (myVenue === null || !known.has(myVenue));
  if (strays.length > 0 || meStray) groups.push({ venue: '', name: null, me: meStray, tiles: strays });
  return groups.filter((g) => g.me || g.tiles.length > 0);
}

/**
 * Whose camera the floor stage shows (the floor holder, or the terminal a venue speaks
 * through), or null with nobody on the floor. The gallery leaves that participant out: a
 * speaker shown on the stage and again in a tile below reads as two people.
 */
export function onFloorStage(state: State): string | null {
  const room = state.room;
  const floor = room?.floor ?? null;
  if (room === null || floor === null) return null;
  const shown = floorView(state, floor.holder).cameraOf;
  if (shown !== null || floor.holder.kind !== 'venue') return shown;
  // A venue without a camera on: the stage shows the venue's name, which its terminal stands for.
  const venue = floor.holder.venue;
  return Object.values(room.participants).find((p) => p.venue === venue && p.role === 'venue' && p.status === 'admitted')?.id ?? null;
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
