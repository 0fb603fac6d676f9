/** Worker-thread entry of ThreadedCommentStore: the SQLite comment store on a thread of its own. */
import { workerData } from 'node:worker_threads';
import { z } from 'zod';
import { serveStore } from '../store/storeThread.js';
import { SqliteCommentStore } from './SqliteCommentStore.js';
import { COMMENT_STORE_METHODS } from './ThreadedCommentStore.js';

const store = SqliteCommentStore.open(z.object({ file: z.string() }).parse(workerData).file);
serveStore(store, COMMENT_STORE_METHODS);
