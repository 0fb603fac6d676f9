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
 * - failed joins (a forged or expired invite), by address, with a block once spent.
 *
 * Limits kept per process live in memory; those that must hold across processes (by
 * participant, address and link) live in Redis when the process shares one, with a memory
 * limiter as insurance while Redis is away, so an outage never turns into refusing everybody.
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
  /** Joins per invite per second (a public link's crowd arrives together). */
  joinsPerSecondPerInvite: number;
};

/** Budgets that let a large consultation run and stop a flood long before it hurts. */
export const DEFAULT_LIMITS: LimitsConfig = {
  socketEventsPer10s: 300,
  commandsPer10s: 40,
  joinsPerMinutePerAddress: 600,
  failedJoinsPerMinutePerAddress: 20,
  joinsPerSecondPerInvite: 50,
};

/** A shared store for limits across processes: the Redis client of this process. */
export type SharedLimitStore = { redis: unknown; keyPrefix: string };

/** The limits of this process. */
export class Limits {
  readonly #socketEvents: RateLimiterAbstract;
  readonly #commands: RateLimiterAbstract;
  readonly #joinsByAddress: RateLimiterAbstract;
  readonly #failedJoins: RateLimiterAbstract;
  readonly #joinsByInvite: RateLimiterAbstract;

  constructor(config: LimitsConfig, shared?: SharedLimitStore) {
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
    // Sockets belong to one process: their limit never needs Redis.
    this.#socketEvents = new RateLimiterMemory({ keyPrefix: 'socket', points: config.socketEventsPer10s, duration: 10 });
    this.#commands = make('command', config.commandsPer10s, 10);
    this.#joinsByAddress = make('join-address', config.joinsPerMinutePerAddress, 60);
    this.#failedJoins = make('join-failed', config.failedJoinsPerMinutePerAddress, 60, 60);
    this.#joinsByInvite = make('join-invite', config.joinsPerSecondPerInvite, 1);
  }

  /** One Socket.IO event of a socket. */
  socketEvent(socketId: string): Promise<void> {
    return spend(this.#socketEvents, socketId, 'too many requests on this connection');
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

  /** One join with an invite that checked out. */
  joinWithInvite(inviteId: string): Promise<void> {
    return spend(this.#joinsByInvite, inviteId, 'too many people are joining with this link right now');
  }

  /** A join from this address failed (a forged, expired or unknown invite). */
  async failedJoin(address: string): Promise<void> {
    await this.#failedJoins.consume(address).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    });
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
