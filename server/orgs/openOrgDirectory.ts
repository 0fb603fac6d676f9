/**
 * The organisations' directory of this deployment: `orgs.sqlite` in DATA_DIR when the process
 * runs alone, Redis (REDIS_URL) when several processes share the rooms, as the invite registry.
 */
import path from 'node:path';
import type { Config } from '../config.js';
import type { OrgDirectory } from './OrgDirectory.js';
import { RedisOrgDirectory } from './RedisOrgDirectory.js';
import { SqliteOrgDirectory } from './SqliteOrgDirectory.js';

/** Opens the directory the configuration names; rejects with UNAVAILABLE if its Redis does not answer. */
export async function openOrgDirectory(config: Pick<Config, 'dataDir' | 'redis'>): Promise<OrgDirectory> {
  if (!config.redis) return SqliteOrgDirectory.open(path.join(config.dataDir, 'orgs.sqlite'));
  return RedisOrgDirectory.connect(config.redis.url, config.redis.prefix);
}
