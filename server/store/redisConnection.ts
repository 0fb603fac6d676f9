/**
 * What the node-redis connections of RedisEventStore, RedisCluster and the Socket.IO adapter
 * share: how they reconnect, how the first connection fails, and the command deadline that
 * node-redis itself does not give.
 */
import type { EventEmitter } from 'node:events';
import { AppError } from '../../signaling/errors.js';

/** How long connecting may take, and how long a first connection may stay unanswered. */
export const CONNECT_TIMEOUT_MS = 2000;

/**
 * node-redis's `socket.reconnectStrategy`: 50, 100, … ms, at most 500 ms apart, forever, so a
 * restarted Redis is used again within half a second. (`retries` counts from 0.)
 */
export function reconnectDelay(retries: number): number {
  return Math.min(50 * (retries + 1), 500);
}

/** A command that got no answer before its deadline. */
export class CommandTimeoutError extends Error {
  constructor(ms: number) {
    super(`redis did not answer within ${ms} ms`);
    this.name = 'CommandTimeoutError';
  }
}

/**
 * `command`, or a CommandTimeoutError after `ms`.
 *
 * NOTE: node-redis's own `commandOptions.timeout` only removes a command that is still waiting
 * to be written; once written, it waits for the answer however long Redis hangs. This is the
 * deadline for the written ones. The command itself stays queued in node-redis, so the answers
 * that come after a hang still pair with their commands, and one that was executed late (an
 * append) is simply not reported to anybody.
 */
export function withDeadline<T>(command: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CommandTimeoutError(ms)), ms);
    command.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The part of a node-redis client that connectOrFail() uses. */
type Connectable = Pick<EventEmitter, 'once' | 'off'> & { connect(): Promise<unknown>; destroy(): void };

/**
 * Connects `client`; rejects with UNAVAILABLE at the first failed attempt, or when Redis has not
 * answered within CONNECT_TIMEOUT_MS, and then stops the client.
 *
 * NOTE: node-redis's connect() keeps trying with the reconnect strategy until it gets through,
 * which would make a server started without Redis wait silently. The strategy stays what it is
 * for later losses; only this first connection gives up. The timer covers a Redis that accepts
 * the connection but never answers (connectTimeout covers the TCP connection only).
 */
export async function connectOrFail(client: Connectable, url: string): Promise<void> {
  let onError: ((error: unknown) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    onError = reject;
    client.once('error', reject);
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
  });
  try {
    // Promise.race handles a rejection of the loser too (connect() rejects once destroyed).
    await Promise.race([client.connect(), failed]);
  } catch (error) {
    client.destroy();
    throw unavailable(`cannot connect to redis at ${redactedUrl(url)}`, error);
  } finally {
    clearTimeout(timer);
    if (onError) client.off('error', onError);
  }
}

/** UNAVAILABLE, with the cause's message appended and the cause kept. */
export function unavailable(message: string, cause: unknown): AppError {
  const error = new AppError('UNAVAILABLE', `${message}: ${cause instanceof Error ? cause.message : String(cause)}`);
  error.cause = cause;
  return error;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
