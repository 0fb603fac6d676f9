/**
 * The minutes as files, shared by server/http/minutesRoutes.ts and client/src/net/minutesApi.ts.
 * The caller presents their invite (`Authorization: Bearer <invite token>`); the answer is the
 * file itself, a failure answers signaling/http/errors.ts's ApiErrorBody.
 *
 *   GET /rooms/:roomId/minutes.:format[?version=<n>]   format md | html | docx
 */
import { z } from 'zod';
import { apiRoute } from './route.js';

/** The route. */
export const MINUTES_ROUTE = apiRoute('/rooms/:roomId/minutes.:format');

/** The export formats the server offers, in the order the page offers them. */
export const MINUTES_FORMATS = ['docx', 'md', 'html'] as const;
/** One export format. */
export const MinutesFormat = z.enum(MINUTES_FORMATS);
/** One export format. */
export type MinutesFormat = z.infer<typeof MinutesFormat>;

/** `?version=<n>`: one version; absent, the current one (staff) or the latest locked one. */
export const MinutesQuery = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() });
/** The query of a minutes export. */
export type MinutesQuery = z.infer<typeof MinutesQuery>;
