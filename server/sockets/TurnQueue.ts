/**
 * Work that arrives in crowds takes turns: at most `perTurn` callers go on in one turn of the
 * event loop, the rest in the next turns, in the order they came. NOTE: a crowd scanning a QR
 * code arrives hundreds a second; its handshakes and joins, run as they came, filled every turn
 * of the event loop, and the room's commands (the chair's, the members') waited behind them.
 * Between two turns the process reads its sockets again, so a command waits for one turn's
 * share of the crowd at most.
 */
export class TurnQueue {
  readonly #perTurn: number;
  readonly #waiting: Array<() => void> = [];
  #first = 0;
  #scheduled = false;

  constructor(perTurn: number) {
    if (!Number.isInteger(perTurn) || perTurn < 1) throw new TypeError(`perTurn must be a positive integer, not ${perTurn}`);
    this.#perTurn = perTurn;
  }

  /** Resolves when it is this caller's turn. */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  /** Callers waiting for their turn. */
  get waiting(): number {
    return this.#waiting.length - this.#first;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#next());
  }

  #next(): void {
    this.#scheduled = false;
    const end = Math.min(this.#first + this.#perTurn, this.#waiting.length);
    const go = this.#waiting.slice(this.#first, end);
    this.#first = end;
    if (this.#first === this.#waiting.length) {
      this.#waiting.length = 0;
      this.#first = 0;
    } else {
      // A crowd that never lets the queue empty: those gone are dropped now and then.
      if (this.#first >= 1024) {
        this.#waiting.splice(0, this.#first);
        this.#first = 0;
      }
      this.#schedule();
    }
    for (const resolve of go) resolve();
  }
}
