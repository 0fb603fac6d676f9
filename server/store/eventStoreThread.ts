/** Worker-thread entry of ThreadedEventStore: the SQLite event store on a thread of its own. */
import { workerData } from 'node:worker_threads';
import { z } from 'zod';
import { SqliteEventStore } from './SqliteEventStore.js';
import { serveStore, threadLogger } from './storeThread.js';
import { EVENT_STORE_METHODS } from './ThreadedEventStore.js';

const { file } = z.object({ file: z.string() }).parse(workerData);
const store = SqliteEventStore.open(file, threadLogger());
serveStore(store, EVENT_STORE_METHODS, () => store.available());
