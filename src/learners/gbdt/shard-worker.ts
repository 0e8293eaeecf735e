// The worker thread of two-thread training: runs shard 1's side of every step (shards.ts).
import { workerData } from 'node:worker_threads';
import { serveShard, type ShardWorkerInit } from './shards.js';

serveShard(workerData as ShardWorkerInit);
