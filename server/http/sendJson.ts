/**
 * Answers with a body of the HTTP contract (signaling/http/*): the schema names the answer's
 * type, so a route cannot answer outside the contract without a type error. Nothing is parsed
 * here: the server builds its answers, the client parses them.
 */
import type { Response } from 'express';
import type { z } from 'zod';

/** Sends `body`, which must be what `schema` accepts, as JSON with `status` (200 by default). */
export function sendJson<S extends z.ZodType>(res: Response, schema: S, body: z.input<NoInfer<S>>, status = 200): void {
  void schema;
  res.status(status).json(body);
}
