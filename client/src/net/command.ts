/**
 * Room commands on the wire: each carries a client-made `commandId`, so a retry after a lost
 * ack is recognised by the server and answered with the first result instead of acting twice.
 */
import type { z } from 'zod';
import { CLIENT_COMMANDS, type ClientCommandType } from '../../../signaling/room/commands.js';
import { ClientError } from '../errors.js';

/**
 * A command's own fields, without the envelope: the same shape ClientCommandPayload adds
 * `commandId` to (an empty zod object means "no fields").
 */
export type CommandFields<T extends ClientCommandType> =
  string extends keyof z.input<(typeof CLIENT_COMMANDS)[T]> ? Record<never, never> : z.input<(typeof CLIENT_COMMANDS)[T]>;

/** How many times a command is sent again after a timeout. */
export const COMMAND_RETRIES = 1;

/**
 * Pauses before sending again a command the server could not serve for now (UNAVAILABLE: its
 * store, Redis, is away; CONFLICT: several processes kept colliding on the room), in ms. About
 * eight seconds in all covers a Redis restart; after that the failure is the answer.
 */
export const BUSY_RETRY_DELAYS_MS = [500, 1000, 2000, 4000] as const;

/** A random id for one command: 128 bits as 32 hex digits (CommandId in commands.ts). */
export function newCommandId(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks the fields against the command's schema before sending, so a bad form fails here. */
export function checkFields<T extends ClientCommandType>(type: T, fields: CommandFields<T>): void {
  const parsed = CLIENT_COMMANDS[type].safeParse(fields);
  if (!parsed.success) throw new ClientError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
}

/**
 * Sends `payload` and sends the very same payload again (same commandId, so the server applies
 * it at most once): after no answer in time, up to `retries` times; after UNAVAILABLE or
 * CONFLICT, after each of `busyDelaysMs`. Other failures are the answer and are thrown.
 */
export async function sendWithRetry<P extends { commandId: string }, R>(
  payload: P,
  send: (payload: P) => Promise<R>,
  retries = COMMAND_RETRIES,
  busyDelaysMs: readonly number[] = BUSY_RETRY_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<R> {
  let timeouts = 0;
  let busy = 0;
  for (;;) {
    try {
      return await send(payload);
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      if (error.code === 'TIMEOUT' && timeouts < retries) {
        timeouts++;
        console.warn(`no answer to command ${payload.commandId}; sending it again`);
        continue;
      }
      const delay = busyDelaysMs[busy];
      if ((error.code === 'UNAVAILABLE' || error.code === 'CONFLICT') && delay !== undefined) {
        busy++;
        await sleep(delay);
        continue;
      }
      throw error;
    }
  }
}
