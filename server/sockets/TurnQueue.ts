/**
 * Work that arrives in crowds takes turns: in one turn of the event loop at most `perTurn`
 * callers go on, and none once `budgetMs` of the turn went to those before; the rest go on in
 * the next turns, in the order they came. NOTE: a crowd scanning a QR code arrives hundreds a
 * second; its handshakes and joins, run as they came, filled every turn of the event loop, and
 * the room's commands (the chair's, the members') waited behind them. Between two turns the
 * process reads its sockets again, so a command waits for one turn's share of the crowd at most:
 * about `budgetMs` however long each caller's work is (the budget is checked before each caller,
 * so the last one may run over it by its own work).
 */
export class TurnQueue {
  readonly #perTurn: number;
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #waiting: Array<() => void> = [];
  #first = 0;
  #scheduled = false;
  /** Steps of the scheduled turn not run yet, and when its first caller went on. */
  #steps = 0;
  #turnStarted: number | null = null;

  /**
   * `budgetMs`: the time callers may take in one turn (Infinity: count alone limits a turn);
   * `now`: a monotonic clock in ms (performance.now, or a test's).
   */
  constructor(perTurn: number, options: { budgetMs?: number; now?: () => number } = {}) {
    if (!Number.isInteger(perTurn) || perTurn < 1) throw new TypeError(`perTurn must be a positive integer, not ${perTurn}`);
    const budgetMs = options.budgetMs ?? Infinity;
    if (!(budgetMs > 0)) throw new TypeError(`budgetMs must be positive, not ${budgetMs}`);
    this.#perTurn = perTurn;
    this.#budgetMs = budgetMs;
    this.#now = options.now ?? (() => performance.now());
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

  /**
   * A turn is `perTurn` immediates, one caller each. NOTE: one immediate per caller, not one for
   * all: Node runs a caller's continuation (its microtasks) before the next immediate, so the
   * clock read before each caller has counted the work of those before it. Immediates queued
   * now run in this turn's check phase if it has not begun, else in the next turn's: the whole
   * turn is queued at once, and callers arriving before it runs still go in it.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#steps = this.#perTurn;
    this.#turnStarted = null;
    for (let i = 0; i < this.#perTurn; i++) setImmediate(() => this.#step());
  }

  #step(): void {
    this.#steps -= 1;
    const now = this.#now();
    this.#turnStarted ??= now;
    if (this.waiting > 0 && now - this.#turnStarted < this.#budgetMs) this.#shift()();
    if (this.#steps > 0) return;
    this.#scheduled = false;
    if (this.waiting > 0) this.#schedule();
  }

  #shift(): () => void {
    const resolve = this.#waiting[this.#first];
    if (!resolve) throw new TypeError('TurnQueue: nobody waiting');
    this.#first += 1;
    if (this.#first === this.#waiting.length) {
      this.#waiting.length = 0;
      this.#first = 0;
    } else if (this.#first >= 1024) {
      // A crowd that never lets the queue empty: those gone are dropped now and then.
      this.#waiting.splice(0, this.#first);
      this.#first = 0;
    }
    return resolve;
  }
}
