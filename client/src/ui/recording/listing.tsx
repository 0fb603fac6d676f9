/**
 * The recording's listing for the staff's minutes: fetched once the room has a part, again when
 * a part is added or the minutes are locked (the lock reads the files' lengths and sizes), and
 * shared by the 录像 section and every speech's link into it.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RoomState } from '../../../../signaling/room/state.js';
import { errorCodeOf, type ClientErrorCode } from '../../errors.js';
import { fetchRecordingListing, type RecordingListing } from '../../net/recordingApi.js';
import { useRoomState } from '../context.js';

/** Where the listing stands. */
export type ListingStatus =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'ready'; listing: RecordingListing }
  | { state: 'failed'; error: ClientErrorCode };

const ListingContext = createContext<ListingStatus>({ state: 'none' });

/** Fetches the listing with this page's invite while `room` has parts, and hands it down. */
export function RecordingListingProvider({ room, children }: { room: RoomState; children: ReactNode }) {
  const { invite } = useRoomState();
  const token = invite.kind === 'none' ? null : invite.token;
  const status = useListing(room.id, token, room.recording.parts.length > 0, `${room.recording.parts.length}/${room.minutes.lockedVersions.length}`);
  return <ListingContext.Provider value={status}>{children}</ListingContext.Provider>;
}

/** The listing as the provider above fetched it. */
export function useRecordingListing(): ListingStatus {
  return useContext(ListingContext);
}

/**
 * Fetches the room's listing with `token` while `wanted`, again whenever `generation` changes.
 * An answer that arrives after a newer request was made is dropped.
 */
export function useListing(roomId: string, token: string | null, wanted: boolean, generation: string): ListingStatus {
  const [status, setStatus] = useState<ListingStatus>({ state: 'none' });
  useEffect(() => {
    if (!wanted || token === null) {
      setStatus({ state: 'none' });
      return;
    }
    let current = true;
    // Keep showing the previous listing while a newer one loads: its links still work.
    setStatus((before) => (before.state === 'ready' ? before : { state: 'loading' }));
    fetchRecordingListing(roomId, token).then(
      (listing) => {
        if (current) setStatus({ state: 'ready', listing });
      },
      (error: unknown) => {
        console.warn('reading the recording listing failed', error);
        if (current) setStatus({ state: 'failed', error: errorCodeOf(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [roomId, token, wanted, generation]);
  return status;
}
