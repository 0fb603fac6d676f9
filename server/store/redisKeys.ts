/**
 * Names in Redis shared by the event store and the cluster layer (server/cluster/).
 */

/** Ids go into keys between `:`; escaping `%` and `:` makes every key name one room's only. */
export function escapeId(id: string): string {
  return id.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/**
 * The pub/sub channel on which every append to a room's log announces the log's new last seq
 * (a decimal string). Processes serving the room read what they have not seen yet.
 */
export function appendedChannel(prefix: string, roomId: string): string {
  return `${prefix}appended:${escapeId(roomId)}`;
}
