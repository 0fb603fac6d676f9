/**
 * How a part of the meeting names what it owns: its commands and events are those whose type
 * starts with its prefixes (`queue:` and `floor:`, `queue.` and `floor.` for speaking). The
 * guard and the type follow from the same prefixes, so they cannot disagree.
 */
import type { ClientCommand } from './commands.js';
import type { RoomEvent } from './events.js';

/** The client commands whose type starts with one of `P`. */
export type CommandsOf<P extends string> = Extract<ClientCommand, { type: `${P}${string}` }>;

/** The events whose type starts with one of `P`. */
export type EventsOf<P extends string> = Extract<RoomEvent, { type: `${P}${string}` }>;

/** A guard for the client commands whose type starts with one of `prefixes`. */
export function commandsOf<P extends `${string}:`>(...prefixes: P[]): (c: { type: string }) => c is CommandsOf<P> {
  return (c): c is CommandsOf<P> => prefixes.some((prefix) => c.type.startsWith(prefix));
}

/** A guard for the events whose type starts with one of `prefixes`. */
export function eventsOf<P extends `${string}.`>(...prefixes: P[]): (e: { type: string }) => e is EventsOf<P> {
  return (e): e is EventsOf<P> => prefixes.some((prefix) => e.type.startsWith(prefix));
}
