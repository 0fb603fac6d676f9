import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeCodeShapes, describeInviteRegistryContract } from './InviteRegistry.contract.js';
import { SqliteInviteRegistry } from './SqliteInviteRegistry.js';

describeInviteRegistryContract('SqliteInviteRegistry', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsl-invites-'));
  const file = path.join(dir, 'data', 'invites.sqlite');
  const opened = [SqliteInviteRegistry.open(file)];
  return {
    registry: opened[0]!,
    reopen: async () => {
      const again = SqliteInviteRegistry.open(file);
      opened.push(again);
      return again;
    },
    cleanup: async () => {
      for (const r of opened) await r.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeCodeShapes();
