/**
 * Errors the client can show. Server codes come from the protocol; the client adds the few
 * failures that never reach a server (timeouts, a lost connection, an unsupported browser).
 */
import type { ErrorCode } from '../../signaling/errors.js';

/** Every failure code the UI knows how to explain; each has a translation under `errors.`. */
export type ClientErrorCode =
  | ErrorCode
  /** The server did not answer a request in time. */
  | 'TIMEOUT'
  /** A request was attempted while the socket was down. */
  | 'DISCONNECTED'
  /** mediasoup-client has no handler for this browser. */
  | 'UNSUPPORTED_BROWSER'
  /** `GET /api/rtp-capabilities` failed or returned something unusable. */
  | 'CAPABILITIES'
  /** A WebRTC operation in the browser failed (produce, consume, ICE restart). */
  | 'MEDIA'
  /** The server closed our connection on purpose. */
  | 'SERVER_CLOSED'
  /** The same invite was opened in another tab or on another device, which took this seat. */
  | 'REPLACED';

/** A failed request or client-side step, carrying a stable code the UI can translate. */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly detail: string | undefined;
  /** RATE_LIMITED: when the server would accept the request again. */
  readonly retryAfterMs: number | undefined;
  constructor(code: ClientErrorCode, detail?: string, retryAfterMs?: number) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.name = 'ClientError';
    this.code = code;
    this.detail = detail;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The code to show for any thrown value; unknown failures in media code count as MEDIA. */
export function errorCodeOf(error: unknown): ClientErrorCode {
  return error instanceof ClientError ? error.code : 'MEDIA';
}

/** Why a camera, microphone or screen could not be opened, as the user needs to hear it. */
export type MediaErrorKind = 'denied' | 'notFound' | 'inUse' | 'insecure' | 'other';

/**
 * Maps a getUserMedia/getDisplayMedia rejection to what the user can do about it.
 * Browsers report these as DOMException names (W3C Media Capture, §"Errors").
 */
export function classifyMediaError(error: unknown): MediaErrorKind {
  if (error instanceof ClientError && error.code === 'UNSUPPORTED_BROWSER') return 'insecure';
  if (!(error instanceof Error)) return 'other';
  switch (error.name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'notFound';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'inUse';
    default:
      return 'other';
  }
}
