/**
 * How the media pipes of one process talk to those of the others. MediaPipes needs nothing
 * more than this: the cluster layer carries the messages (over Redis in production), and tests
 * join processes with `createMemoryBus`.
 */

/** A message channel between server processes, addressed by process id. */
export type PipeBus = {
  /** This process's id. */
  readonly self: string;
  /** Sends a message to one process (in order per receiver, at most once). */
  send(to: string, message: unknown): void;
  /** Every message for this process, with its sender. */
  onMessage(handler: (from: string, message: unknown) => void): () => void;
};

/** Buses for processes `ids`, joined in memory; in that order. */
export function createMemoryBus(ids: readonly string[]): PipeBus[] {
  const handlers = new Map<string, Set<(from: string, message: unknown) => void>>();
  for (const id of ids) handlers.set(id, new Set());
  return ids.map((self) => ({
    self,
    send(to, message) {
      // Like a network: the receiver gets its own copy, later, and nothing for an unknown id.
      const copy: unknown = JSON.parse(JSON.stringify(message));
      setImmediate(() => {
        for (const handler of handlers.get(to) ?? []) handler(self, copy);
      });
    },
    onMessage(handler) {
      const own = handlers.get(self);
      own?.add(handler);
      return () => {
        own?.delete(handler);
      };
    },
  }));
}
