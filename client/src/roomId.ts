/** Room ids as the server accepts them (signaling/schemas.ts `id`). */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether the server will accept this room id. */
export function isValidRoomId(value: string): boolean {
  return ROOM_ID.test(value);
}

/**
 * The room a link points at: `?room=abc` wins, else the last path segment (`/abc`, `/r/abc`).
 * Returns '' when the link names no valid room, so the join form starts empty.
 */
export function roomIdFromLocation(pathname: string, search: string): string {
  const fromQuery = new URLSearchParams(search).get('room');
  if (fromQuery !== null) return isValidRoomId(fromQuery) ? fromQuery : '';
  const segments = pathname.split('/').filter((s) => s.length > 0);
  const last = segments.at(-1);
  if (last === undefined || last === 'index.html') return '';
  const decoded = safeDecode(last);
  return decoded !== null && isValidRoomId(decoded) ? decoded : '';
}

/** The shareable link for a room, on the page's own origin. */
export function roomLink(origin: string, roomId: string): string {
  return `${origin}/?room=${encodeURIComponent(roomId)}`;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    // A malformed %-escape is a bad link, not a failure: the form simply starts empty.
    if (error instanceof URIError) return null;
    throw error;
  }
}
