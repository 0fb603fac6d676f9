/**
 * The server's own reads: health for load balancers and operators, and the router capabilities
 * a page loads its mediasoup Device with. Outside `/api` and inside it respectively.
 *
 *   GET /healthz               → Health (503 when unhealthy)
 *   GET /api/rtp-capabilities  → RtpCapabilitiesAnswer
 */
import { z } from 'zod';
import { RtpCapabilitiesSchema } from '../schemas.js';
import { apiRoute } from './route.js';

/** GET /healthz (not under /api: load balancers ask it). */
export const HEALTH_PATH = '/healthz';
/** GET /api/rtp-capabilities */
export const RTP_CAPABILITIES_ROUTE = apiRoute('/rtp-capabilities');

/** A process of a cluster, as the health answer lists it. */
export const ClusterProcess = z.object({ id: z.string(), url: z.string(), startedAt: z.number() }).loose();

/** How this process sees the cluster: alone, or with Redis and the processes it knows. */
export const ClusterHealth = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('single') }),
  z.object({ mode: z.literal('redis'), processId: z.string(), redis: z.enum(['ready', 'unreachable']), processes: z.array(ClusterProcess) }),
]);

/**
 * The live HLS streams of this process (ffmpeg). A failing stream never makes the process
 * unhealthy: the meetings go on without it, and the encoder is restarted.
 */
export const StreamHealth = z.object({
  /** STREAM=on. */
  enabled: z.boolean(),
  /** Rooms whose stream runs (or restarts) now. */
  running: z.number().int().nonnegative(),
  /** Of those, writing segments. */
  live: z.number().int().nonnegative(),
  /** Of those, failing (ffmpeg missing, crashed or stuck) and waiting to restart. */
  failing: z.number().int().nonnegative(),
  /** Restarts since the process started. */
  restarts: z.number().int().nonnegative(),
  /** Why the last failure happened, if any did. */
  lastError: z.string().nullable(),
});

/** GET /healthz: the verdict and what it rests on. */
export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  store: z.enum(['ready', 'unavailable']),
  uptimeSeconds: z.number().nonnegative(),
  mediaWorkers: z.number().int().nonnegative(),
  mediaRooms: z.number().int().nonnegative(),
  cluster: ClusterHealth,
  stream: StreamHealth,
  /**
   * The recorders of this process (ffmpeg writing the rooms' recordings), as the stream's:
   * `enabled` always true, `running` the rooms this process records now.
   */
  recording: StreamHealth,
});
/** GET /healthz */
export type Health = z.infer<typeof Health>;

/** GET /api/rtp-capabilities: the router's capabilities, shared by every room. */
export const RtpCapabilitiesAnswer = z.object({ routerRtpCapabilities: RtpCapabilitiesSchema });
