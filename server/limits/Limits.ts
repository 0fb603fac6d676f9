/**
 * How much one client may ask of the server (rate-limiter-flexible). Each limit has a key and
 * a budget of points over a window; a request beyond it is refused with RATE_LIMITED and the
 * time until the next one would be accepted, which the UI shows.
 *
 * - every Socket.IO event, by socket (floods of anything, junk included);
 * - room commands, by participant (the log grows only at a human pace, on every socket and
 *   process of that participant together);
 * - joins, by address (a hall behind one NAT joins together: a generous budget) and by invite
 *   link (a shared public link cannot flood the room);
 * - failed joins (a forged or expired invite), by address, with a block once spent;
 * - lookups of short links and meeting numbers, by address, and those that find nothing with a
 *   block once spent: codes and numbers cannot be enumerated by trying them.
 *
 * Limits of what one connection does (its events, its participant's commands: a seat has one
 * connection) live in memory; those that must hold across processes (joins by address and by
 * link) live in Redis when the process shares one, with a memory limiter as insurance while
 * Redis is away, so an outage never turns into refusing everybody.
 */
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { RateLimitedError } from '../../signaling/errors.js';

/** The budgets; every one configurable (config.ts, LIMIT_*). */
export type LimitsConfig = {
  /** Socket.IO events per socket per 10 s (a joining browser resumes every consumer at once). */
  socketEventsPer10s: number;
  /** Room commands per participant per 10 s. */
  commandsPer10s: number;
  /** Joins per address per minute. */
  joinsPerMinutePerAddress: number;
  /** Failed joins per address per minute before that address is blocked for a minute. */
  failedJoinsPerMinutePerAddress: number;
  /** Joins per public link per second (a public link's crowd arrives together). */
  joinsPerSecondPerInvite: number;
  /** Joins per personal invite per minute (a person reconnecting, not a script looping). */
  joinsPerMinutePerPersonalInvite: number;
  /** New connections per address per 10 s (a hall behind one NAT opens many; a script opens thousands). */
  connectionsPer10sPerAddress: number;
  /** Short-link and meeting-number lookups per address per minute (a hall's phones scan one poster together). */
  lookupsPerMinutePerAddress: number;
  /** Lookups that find nothing per address per 10 minutes; then the address waits 10 minutes. */
  failedLookupsPer10MinutesPerAddress: number;
  /** Wrong admin secrets per address per 10 minutes; then the address waits 10 minutes. */
  failedAdminSecretsPer10MinutesPerAddress: number;
  /** Public comments per browser per 10 minutes (a person writes a few, not a stream). */
  commentsPer10MinutesPerBrowser: number;
  /** Public comments per address per 10 minutes (a hall's phones behind one NAT write together). */
  commentsPer10MinutesPerAddress: number;
  /** Upvotes per browser per minute (reading down a list and agreeing, not a script). */
  upvotesPerMinutePerBrowser: number;
  /** Upvotes per address per minute. */
  upvotesPerMinutePerAddress: number;
  /** Browser ids handed out per address per minute (a script dropping its cookie to upvote again). */
  browserIdsPerMinutePerAddress: number;
  /** Recording listings and file requests per address per minute (a player seeking asks for ranges; a hall watches together). */
  recordingRequestsPerMinutePerAddress: number;
  /** Failed logins per address per 10 minutes; then the address waits 10 minutes. */
  failedLoginsPer10MinutesPerAddress: number;
  /** Failed logins per username per 10 minutes, from anywhere; then that username waits 10 minutes. */
  failedLoginsPer10MinutesPerUsername: number;
};

/** Budgets that let a large consultation run and stop a flood long before it hurts. */
export const DEFAULT_LIMITS: LimitsConfig = {
  socketEventsPer10s: 300,
  commandsPer10s: 40,
  joinsPerMinutePerAddress: 600,
  failedJoinsPerMinutePerAddress: 20,
  joinsPerSecondPerInvite: 50,
  joinsPerMinutePerPersonalInvite: 30,
  connectionsPer10sPerAddress: 300,
  lookupsPerMinutePerAddress: 120,
  failedLookupsPer10MinutesPerAddress: 20,
  failedAdminSecretsPer10MinutesPerAddress: 20,
  commentsPer10MinutesPerBrowser: 5,
  commentsPer10MinutesPerAddress: 200,
  upvotesPerMinutePerBrowser: 60,
  upvotesPerMinutePerAddress: 1200,
  browserIdsPerMinutePerAddress: 300,
  recordingRequestsPerMinutePerAddress: 600,
  failedLoginsPer10MinutesPerAddress: 30,
  failedLoginsPer10MinutesPerUsername: 10,
};

/**
 * Joins of one address whose invite is still being checked: failed ones are counted only once
 * checked, so without this bound a burst would all be checked before the first failure counts.
 */
const MAX_UNCHECKED_JOINS_PER_ADDRESS = 10;

/** A connection that goes on sending this many times its budget after being told to wait is dropped. */
const FLOOD_FACTOR = 3;

/** The window of a connection's event budget (LIMIT_SOCKET_EVENTS_PER_10S). */
const SOCKET_WINDOW_MS = 10_000;

/** The clock of event budgets (one function for all of them). */
const monotonicNow = (): number => performance.now();

/** A connection that ignores RATE_LIMITED and keeps sending: the caller drops it. */
export class FloodError extends Error {
  constructor() {
    super('the connection kept sending after being told to wait');
    this.name = 'FloodError';
  }
}

/** A shared store for limits across processes: the Redis client of this process. */
export type SharedLimitStore = { redis: unknown; keyPrefix: string };

/** The limits of this process. */
export class Limits {
  readonly #commands: RateLimiterAbstract;
  readonly #joinsByAddress: RateLimiterAbstract;
  readonly #failedJoins: RateLimiterAbstract;
  readonly #joinsByInvite: RateLimiterAbstract;
  readonly #joinsByPersonalInvite: RateLimiterAbstract;
  readonly #connections: RateLimiterAbstract;
  readonly #lookups: RateLimiterAbstract;
  readonly #failedLookups: RateLimiterAbstract;
  readonly #failedAdminSecrets: RateLimiterAbstract;
  readonly #commentsByBrowser: RateLimiterAbstract;
  readonly #commentsByAddress: RateLimiterAbstract;
  readonly #upvotesByBrowser: RateLimiterAbstract;
  readonly #upvotesByAddress: RateLimiterAbstract;
  readonly #browserIds: RateLimiterAbstract;
  readonly #recordingRequests: RateLimiterAbstract;
  readonly #failedLoginsByAddress: RateLimiterAbstract;
  readonly #failedLoginsByUsername: RateLimiterAbstract;
  readonly #socketBudget: number;
  /** Joins per address whose invite is being checked right now. */
  readonly #unchecked = new Map<string, number>();

  constructor(config: LimitsConfig, shared?: SharedLimitStore) {
    this.#socketBudget = config.socketEventsPer10s;
    const make = (name: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract => {
      const local = new RateLimiterMemory({ keyPrefix: name, points, duration, blockDuration });
      if (!shared) return local;
      return new RateLimiterRedis({
        storeClient: shared.redis,
        useRedisPackage: true,
        keyPrefix: `${shared.keyPrefix}limit:${name}`,
        points,
        duration,
        blockDuration,
        // NOTE: with Redis away each process counts alone for a while: a little more than the
        // budget gets through, which is better than refusing every join and command.
        insuranceLimiter: local,
      });
    };
    // NOTE: a participant's commands come through their one connection (a seat has one: see
    // seats.ts), so they are counted where that connection is, in memory, without a Redis round
    // trip per command. Joins come from many connections, on any process: those are shared.
    this.#commands = new RateLimiterMemory({ keyPrefix: 'command', points: config.commandsPer10s, duration: 10 });
    this.#joinsByAddress = make('join-address', config.joinsPerMinutePerAddress, 60);
    this.#failedJoins = make('join-failed', config.failedJoinsPerMinutePerAddress, 60, 60);
    this.#joinsByInvite = make('join-invite', config.joinsPerSecondPerInvite, 1);
    this.#joinsByPersonalInvite = make('join-seat', config.joinsPerMinutePerPersonalInvite, 60);
    // Connections reach one process each: counted where they arrive.
    this.#connections = new RateLimiterMemory({ keyPrefix: 'connection', points: config.connectionsPer10sPerAddress, duration: 10 });
    // Shared, as joins: a script could otherwise try its guesses on every process in turn.
    this.#lookups = make('lookup', config.lookupsPerMinutePerAddress, 60);
    this.#failedLookups = make('lookup-failed', config.failedLookupsPer10MinutesPerAddress, 600, 600);
    // Shared: guesses at the admin secret spread over processes add up.
    this.#failedAdminSecrets = make('admin-failed', config.failedAdminSecretsPer10MinutesPerAddress, 600, 600);
    // Shared too: the public page's requests reach any process behind the load balancer.
    this.#commentsByBrowser = make('comment-browser', config.commentsPer10MinutesPerBrowser, 600);
    this.#commentsByAddress = make('comment-address', config.commentsPer10MinutesPerAddress, 600);
    this.#upvotesByBrowser = make('upvote-browser', config.upvotesPerMinutePerBrowser, 60);
    this.#upvotesByAddress = make('upvote-address', config.upvotesPerMinutePerAddress, 60);
    this.#browserIds = make('browser-id', config.browserIdsPerMinutePerAddress, 60);
    this.#recordingRequests = make('recording-address', config.recordingRequestsPerMinutePerAddress, 60);
    // Shared: guesses at a password spread over processes (and, per username, over addresses) add up.
    this.#failedLoginsByAddress = make('login-failed-address', config.failedLoginsPer10MinutesPerAddress, 600, 600);
    this.#failedLoginsByUsername = make('login-failed-username', config.failedLoginsPer10MinutesPerUsername, 600, 600);
  }

  /**
   * A login from an address for a username: refused, before the password is even checked,
   * while the address or the username is blocked for failed logins.
   */
  async loginAttempt(address: string, username: string): Promise<void> {
    for (const [limiter, key, message] of [
      [this.#failedLoginsByAddress, address, 'too many failed logins from this address'],
      [this.#failedLoginsByUsername, username, 'too many failed logins for this username'],
    ] as const) {
      const blocked = await limiter.get(key);
      if (blocked !== null && blocked.remainingPoints <= 0 && blocked.msBeforeNext > 0) throw new RateLimitedError(message, blocked.msBeforeNext);
    }
  }

  /** A login from this address for this username failed (unknown name, wrong password, disabled account). */
  async failedLogin(address: string, username: string): Promise<void> {
    for (const [limiter, key] of [
      [this.#failedLoginsByAddress, address],
      [this.#failedLoginsByUsername, username],
    ] as const) {
      await limiter.consume(key).catch((rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      });
    }
  }

  /** One request for the recording (its listing or a range of a file) from an address. */
  recordingRequest(address: string): Promise<void> {
    return spend(this.#recordingRequests, address, 'too many requests for recordings from this address');
  }

  /** One public comment of a browser from an address. */
  async comment(browser: string, address: string): Promise<void> {
    await spend(this.#commentsByAddress, address, 'too many comments from this network in the last minutes');
    await spend(this.#commentsByBrowser, browser, 'too many comments from this browser in the last minutes');
  }

  /** One upvote of a browser from an address. */
  async upvote(browser: string, address: string): Promise<void> {
    await spend(this.#upvotesByAddress, address, 'too many upvotes from this network in the last minute');
    await spend(this.#upvotesByBrowser, browser, 'too many upvotes from this browser in the last minute');
  }

  /** A new browser id for a request from this address. */
  newBrowserId(address: string): Promise<void> {
    return spend(this.#browserIds, address, 'too many new visitors from this network in the last minute');
  }

  /** The budget of Socket.IO events of one new connection (LIMIT_SOCKET_EVENTS_PER_10S), kept on the connection. */
  eventBudget(): EventBudget {
    return new EventBudget(this.#socketBudget);
  }

  /** May this address open one more connection now? */
  async connection(address: string): Promise<boolean> {
    return this.#connections.consume(address).then(
      () => true,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      },
    );
  }

  /** Runs the check of a join's invite, at most a few at a time per address. */
  async verifying<T>(address: string, check: () => Promise<T>): Promise<T> {
    const pending = this.#unchecked.get(address) ?? 0;
    if (pending >= MAX_UNCHECKED_JOINS_PER_ADDRESS) throw new RateLimitedError('too many joins from this address at once', 1000);
    this.#unchecked.set(address, pending + 1);
    try {
      return await check();
    } finally {
      const left = (this.#unchecked.get(address) ?? 1) - 1;
      if (left === 0) this.#unchecked.delete(address);
      else this.#unchecked.set(address, left);
    }
  }

  /** One room command of a participant. */
  command(roomId: string, participantId: string): Promise<void> {
    return spend(this.#commands, `${roomId}:${participantId}`, 'too many actions in a short time');
  }

  /** One join attempt from an address: refused while the address is blocked for failed joins. */
  async join(address: string): Promise<void> {
    const blocked = await this.#failedJoins.get(address);
    if (blocked !== null && blocked.remainingPoints <= 0 && blocked.msBeforeNext > 0) {
      throw new RateLimitedError('too many failed attempts to join from this address', blocked.msBeforeNext);
    }
    await spend(this.#joinsByAddress, address, 'too many joins from this address');
  }

  /**
   * One join with an invite that checked out. Every join of a seat records an arrival or a
   * return in the log: a personal invite rejoining in a loop is held to a person's pace.
   */
  joinWithInvite(inviteId: string, personal: boolean): Promise<void> {
    return personal
      ? spend(this.#joinsByPersonalInvite, inviteId, 'this invite has joined too often in the last minute')
      : spend(this.#joinsByInvite, inviteId, 'too many people are joining with this link right now');
  }

  /**
   * One lookup of a short link or a meeting number from an address: refused while the address
   * is blocked for lookups that found nothing.
   */
  async lookup(address: string): Promise<void> {
    const blocked = await this.#failedLookups.get(address);
    if (blocked !== null && blocked.remainingPoints <= 0 && blocked.msBeforeNext > 0) {
      throw new RateLimitedError('too many links or meeting numbers that do not exist were tried from this address', blocked.msBeforeNext);
    }
    await spend(this.#lookups, address, 'too many lookups from this address');
  }

  /**
   * A request with an admin secret from an address: refused, before the secret is even
   * compared, while the address is blocked for wrong secrets.
   */
  async adminAttempt(address: string): Promise<void> {
    const blocked = await this.#failedAdminSecrets.get(address);
    if (blocked !== null && blocked.remainingPoints <= 0 && blocked.msBeforeNext > 0) {
      throw new RateLimitedError('too many wrong admin secrets from this address', blocked.msBeforeNext);
    }
  }

  /** A request from this address came with a wrong admin secret (or none). */
  async failedAdminSecret(address: string): Promise<void> {
    await this.#failedAdminSecrets.consume(address).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  }

  /** A lookup from this address found nothing (or was malformed). */
  async failedLookup(address: string): Promise<void> {
    await this.#failedLookups.consume(address).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  }

  /** A join from this address failed (a forged, expired or unknown invite). */
  async failedJoin(address: string): Promise<void> {
    await this.#failedJoins.consume(address).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
  }
}

/**
 * The events one connection may send: `points` per window of SOCKET_WINDOW_MS from its first
 * event. Past the budget: RATE_LIMITED; far past it (the client ignores the answer and keeps
 * sending): FloodError. NOTE: a connection's own counter, checked synchronously, rather than a
 * key in a shared limiter: a socket belongs to one process, and a public viewer, one of
 * thousands, then costs two numbers here instead of a map entry, a key string and a timer.
 */
export class EventBudget {
  readonly #points: number;
  readonly #now: () => number;
  #windowEnds = -Infinity;
  #spent = 0;

  constructor(points: number, now: () => number = monotonicNow) {
    this.#points = points;
    this.#now = now;
  }

  /** Spends one event, or throws RateLimitedError (with the time until the window ends) or FloodError. */
  spend(): void {
    const now = this.#now();
    if (now >= this.#windowEnds) {
      this.#windowEnds = now + SOCKET_WINDOW_MS;
      this.#spent = 0;
    }
    this.#spent += 1;
    if (this.#spent <= this.#points) return;
    if (this.#spent > FLOOD_FACTOR * this.#points) throw new FloodError();
    throw new RateLimitedError('too many requests on this connection', Math.ceil(this.#windowEnds - now));
  }
}

/** Takes one point of `key`, or throws RATE_LIMITED with the time until the next point. */
async function spend(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(message, rejection.msBeforeNext);
    throw rejection;
  }
}
