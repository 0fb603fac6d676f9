/**
 * The few typed errors of the product. Each carries a stable `code` that travels in acks;
 * clients branch on the code, never on message text.
 */

/** Every error code an ack or an HTTP error body can carry. */
export const ERROR_CODES = [
  /** The payload failed its schema. */
  'BAD_REQUEST',
  /** The client speaks another protocol version: reload the page. */
  'UNSUPPORTED_PROTOCOL',
  /** The command needs a joined room and the socket has not joined one. */
  'NOT_JOINED',
  /** The socket already joined a room. */
  'ALREADY_JOINED',
  /** A referenced transport, producer, consumer or peer does not exist (any more). */
  'NOT_FOUND',
  /** The actor may not do this. */
  'FORBIDDEN',
  /** The target exists but is not in a state that allows this. */
  'INVALID_STATE',
  /** The media capabilities of the client cannot receive or send this. */
  'UNSUPPORTED_MEDIA',
  /** The invite token is missing, forged or expired. */
  'UNAUTHORIZED',
  /** The organiser revoked this invite: its link and its short link no longer let anyone in. */
  'INVITE_REVOKED',
  /** A public link does not make a participant: it is watched with `audience:join` (signaling/audience.ts). */
  'AUDIENCE_ONLY',
  /** The room is locked: nobody new may enter. */
  'ROOM_LOCKED',
  /** Still waiting in the lobby for the host to admit. */
  'IN_LOBBY',
  /** The meeting has ended. */
  'MEETING_ENDED',
  /** The list of speakers is closed. */
  'QUEUE_CLOSED',
  /** The venue has used up its speeches. */
  'SPEECH_LIMIT',
  /** Not among the poll's eligible voters. */
  'NOT_ELIGIBLE',
  /** Voted already, and the poll does not allow changing. */
  'ALREADY_VOTED',
  /** The room changed concurrently too often; try again. */
  'CONFLICT',
  /** A service the server needs (the store) is unavailable; try again shortly. */
  'UNAVAILABLE',
  /** Too many requests of this kind from this client, address or link; the ack says when to try again. */
  'RATE_LIMITED',
  /** The server has no room for more media right now (its workers are full); try again later. */
  'CAPACITY',
  /** Anything unexpected; the detail is logged on the server, never sent. */
  'INTERNAL',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class: an error the product expects and reports by code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The payload or a value in it is not acceptable. */
export class ValidationError extends AppError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

/** Something referenced by id does not exist. */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The actor is not allowed to do this. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The target is in the wrong state for this. */
export class InvalidStateError extends AppError {
  constructor(message: string, code: ErrorCode = 'INVALID_STATE') {
    super(code, message);
  }
}

/** Too many requests; `retryAfterMs` says when the next one would be accepted. */
export class RateLimitedError extends AppError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('RATE_LIMITED', message);
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}
