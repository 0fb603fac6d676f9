/**
 * The members' duty records of an organisation (委员履职记录), as JSON and as CSV or XLSX files:
 * GET /orgs/:orgId/duties, duties.csv, duties.xlsx with `?from&to` (epoch ms, both optional).
 * Only those who may organise the organisation read them (access.ts, through OrgAuth). The
 * router keeps the rooms' summaries (server/orgs/DutyRecords.ts) between requests.
 */
import express, { type Request, type Response, type Router } from 'express';
import { NotFoundError } from '../../signaling/errors.js';
import { DutyQuery, DutyRecords as DutyRecordsBody, OrgIdParam, ORG_ROUTES } from '../../signaling/http/orgs.js';
import type { InviteRegistry } from '../invites/InviteRegistry.js';
import { createLogger, type Logger } from '../log.js';
import { DutyRecords } from '../orgs/DutyRecords.js';
import { asciiDutiesFileName, dutiesCsv, dutiesFileName, dutiesXlsx } from '../orgs/dutiesFile.js';
import type { OrgDirectory } from '../orgs/OrgDirectory.js';
import type { EventStore } from '../store/EventStore.js';
import { contentDisposition } from '../export/fileName.js';
import { apiErrorHandler, parse } from './adminRoutes.js';
import type { OrgAuth } from './orgAuth.js';
import { sendJson } from './sendJson.js';

/** What createDutyRouter needs. */
export type DutyRouterDeps = {
  directory: OrgDirectory;
  store: EventStore;
  registry: InviteRegistry;
  auth: OrgAuth;
  /** Room summaries kept between requests (DutyRecords' default if absent). */
  cacheRooms?: number;
  logger?: Logger;
};

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The period of a request: both ends optional, the start not after the end. */
const Period = DutyQuery.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to' });

/** The duty records' routes; the app mounts the router at `/api`. */
export function createDutyRouter(deps: DutyRouterDeps): Router {
  const router = express.Router();
  const logger = deps.logger ?? createLogger('info', 'http:duties');
  const records = new DutyRecords({
    directory: deps.directory,
    store: deps.store,
    registry: deps.registry,
    ...(deps.cacheRooms === undefined ? {} : { cacheRooms: deps.cacheRooms }),
  });
  const guard = [deps.auth.required, deps.auth.inOrg('organise')];

  /** The records the request asks for (its orgId checked by `inOrg` already). */
  const read = async (req: Request): Promise<{ orgId: string; body: DutyRecordsBody }> => {
    const orgId = parse(OrgIdParam, req.params.orgId);
    const period = parse(Period, req.query);
    return { orgId, body: await records.forPeriod(orgId, period) };
  };

  const orgName = async (orgId: string): Promise<string> => {
    const org = (await deps.directory.orgs()).find((o) => o.orgId === orgId);
    // inOrg found it a moment ago; gone since, it is gone.
    if (org === undefined) throw new NotFoundError(`no organisation ${orgId}`);
    return org.name;
  };

  const sendFile = (res: Response, bytes: string | Buffer, type: string, name: string, ascii: string): void => {
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .set('Content-Type', type)
      .set('Content-Disposition', contentDisposition('attachment', name, ascii))
      .send(bytes);
  };

  router.get(ORG_ROUTES.duties.pattern, ...guard, async (req, res) => {
    const { body } = await read(req);
    res.set('Cache-Control', 'no-store');
    sendJson(res, DutyRecordsBody, body);
  });

  router.get(ORG_ROUTES.dutiesCsv.pattern, ...guard, async (req, res) => {
    const { orgId, body } = await read(req);
    const name = dutiesFileName(await orgName(orgId), body, 'csv');
    sendFile(res, dutiesCsv(body), 'text/csv; charset=utf-8', name, asciiDutiesFileName(orgId, body, 'csv'));
  });

  router.get(ORG_ROUTES.dutiesXlsx.pattern, ...guard, async (req, res) => {
    const { orgId, body } = await read(req);
    const name = dutiesFileName(await orgName(orgId), body, 'xlsx');
    sendFile(res, dutiesXlsx(body), XLSX_TYPE, name, asciiDutiesFileName(orgId, body, 'xlsx'));
  });

  router.use(apiErrorHandler(logger));
  return router;
}
