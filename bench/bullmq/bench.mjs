#!/usr/bin/env node
// The Lockstep queue benchmark's workload on BullMQ, on the same Redis: N jobs over M "orders"
// (the same ~220-byte JSON payloads; --layout grouped: event i -> order floor(i * M / N) + 1, an
// order's events one after another, the flash sale; round-robin: order i % M + 1), added by P producers while (or,
// --phased, before) a Worker with a no-op processor and concurrency C drains them. Measures wall
// time first add -> last completion, events/s, the add rate, Redis commands / EVALSHA / CPU per
// event (INFO deltas, as QueueBench does), and checks every job completed exactly once.
//
// BullMQ OSS has no per-key serialization: jobs of one order may run concurrently and complete out
// of order (counted as outOfOrder, for information; it is not a failure here).
//
//   cd bench/bullmq && npm ci
//   node bench.mjs --redis-uri redis://127.0.0.1:6379 [--events 45000] [--orders 15000]
//        [--layout grouped|round-robin] [--producers 4] [--concurrency 50] [--batch 1000] [--phased]
//        [--split] [--remove-on-complete] [--no-dedup] [--timeout-seconds 600] [--warmup 0] [--json]
//
// The defaults are how BullMQ's users run it: one worker process at concurrency 50, jobs added with
// addBulk in chunks of 1,000, default job options (completed jobs kept).
//
// --warmup N runs two untimed passes of N jobs first (fresh queues), as the Java side does.
// --batch N > 1 adds with Queue.addBulk (one MULTI round trip per N jobs), else Queue.add per job.
// --split runs the Worker in its own thread (worker_threads), so adding and processing do not
// share one event loop (the Java side runs producers and handlers on separate threads too).
// Dedup: each job carries deduplication {id: shop|topic|eventId, ttl: 1 h}, BullMQ's analogue of
// the lane queue's SET NX EX dedup key; --no-dedup leaves it out.
// Completed jobs are kept, BullMQ's default; --remove-on-complete removes them (removeOnComplete),
// as the lane queue deletes a completed job. (--keep-completed is accepted and is the default.)

import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { parseArgs } from 'node:util';
import { Worker as Thread, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';

const SHOP = 'bench.myshopify.com';
const UPDATED_AT = 1767225600000;

/** The same bytes as dev.lockstep.bench.BenchPayload.json(i, orderId). */
export function payload(i, orderId) {
  return `{"shop":"${SHOP}","topic":"UPDATED","orderId":${orderId},"eventId":"e${i}","webhookId":"w${i}",` +
    `"updatedAt":${UPDATED_AT + i},"financialStatus":"paid","fulfillmentStatus":null,` +
    `"lineItems":[{"sku":"SKU-${10000 + (i % 90000)}","quantity":${1 + (i % 3)}}]}`;
}

// BullMQ leaves connections it was given open on close(); these are closed at the end.
const connections = [];
function connect(uri) {
  const c = new IORedis(uri, { maxRetriesPerRequest: null, enableReadyCheck: true });
  connections.push(c);
  return c;
}
function disconnectAll() {
  for (const c of connections.splice(0)) c.disconnect();
}

/** Counts completions per job and per order: exactly once, and how often an order's jobs finish out of order. */
class Tally {
  constructor(events, orders) {
    this.events = events;
    this.seen = new Uint8Array(events);
    this.lastIndex = new Float64Array(orders).fill(-1);
    this.completed = 0;
    this.duplicates = 0;
    this.outOfOrder = 0;
    this.end = 0n;
  }

  complete(data) {
    const i = Number(data.eventId.slice(1));
    if (this.seen[i]++ > 0) this.duplicates++;
    const o = data.orderId - 1;
    if (this.lastIndex[o] > i) this.outOfOrder++;
    this.lastIndex[o] = i;
    this.completed++;
    if (this.completed === this.events) this.end = process.hrtime.bigint();
    return this.completed === this.events;
  }

  summary() {
    let missing = 0;
    for (let i = 0; i < this.events; i++) if (this.seen[i] === 0) missing++;
    return { completed: this.completed, missing, duplicates: this.duplicates, outOfOrder: this.outOfOrder };
  }
}

/** A Worker with a no-op processor; resolves `done` with the tally when every job completed. */
async function startWorker({ uri, queueName, concurrency, events, orders, keepCompleted }) {
  const tally = new Tally(events, orders);
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const worker = new Worker(queueName, async () => undefined, {
    connection: connect(uri),
    concurrency,
    removeOnComplete: keepCompleted ? undefined : { count: 0 },
  });
  worker.on('completed', (job) => {
    if (tally.complete(job.data)) finish(tally);
  });
  worker.on('error', (e) => console.error('bullmq worker error:', e.message));
  await worker.waitUntilReady();
  return { worker, tally, done };
}

// ---- worker thread (--split) ----
if (!isMainThread) {
  const w = await startWorker(workerData);
  parentPort.on('message', async (m) => {
    if (m === 'close') {
      await w.worker.close();
      disconnectAll();
      parentPort.postMessage({ type: 'closed' });
    }
  });
  parentPort.postMessage({ type: 'ready' });
  const tally = await w.done;
  parentPort.postMessage({ type: 'done', end: tally.end.toString(), ...tally.summary() });
}

// ---- main thread ----
function options() {
  const { values } = parseArgs({
    options: {
      'redis-uri': { type: 'string', default: 'redis://127.0.0.1:6379' },
      events: { type: 'string', default: '45000' },
      orders: { type: 'string', default: '15000' },
      layout: { type: 'string', default: 'grouped' },
      producers: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '50' },
      batch: { type: 'string', default: '1000' },
      phased: { type: 'boolean', default: false },
      split: { type: 'boolean', default: false },
      'keep-completed': { type: 'boolean', default: false },
      'remove-on-complete': { type: 'boolean', default: false },
      'no-dedup': { type: 'boolean', default: false },
      'timeout-seconds': { type: 'string', default: '600' },
      warmup: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
    },
  });
  const int = (name, min) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}: ${values[name]}`);
    return v;
  };
  const o = {
    uri: values['redis-uri'],
    events: int('events', 1),
    orders: int('orders', 1),
    producers: int('producers', 1),
    concurrency: int('concurrency', 1),
    batch: int('batch', 1),
    phased: values.phased,
    split: values.split,
    keepCompleted: !values['remove-on-complete'],
    layout: values.layout,
    dedup: !values['no-dedup'],
    timeoutSeconds: int('timeout-seconds', 1),
    warmup: int('warmup', 0),
    json: values.json,
  };
  if (o.orders > o.events) throw new Error(`--orders must be <= --events: ${o.orders}`);
  if (o.layout !== 'grouped' && o.layout !== 'round-robin') throw new Error(`--layout must be grouped or round-robin: ${o.layout}`);
  return o;
}

/** One reading of INFO commandstats / cpu / stats (same fields as RedisCounters.java). */
async function readCounters(redis) {
  const [cmd, cpu, stats] = await Promise.all([redis.info('commandstats'), redis.info('cpu'), redis.info('stats')]);
  const calls = {};
  const usec = {};
  for (const line of cmd.split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):(.*)$/.exec(line);
    if (!m) continue;
    const f = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')));
    calls[m[1]] = Number(f.calls || 0);
    usec[m[1]] = Number(f.usec || 0);
  }
  const field = (text, name) => {
    const m = new RegExp(`^${name}:(.*)$`, 'm').exec(text);
    return m ? Number(m[1].trim()) : 0;
  };
  return {
    calls, usec,
    cpuSeconds: field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys'),
    sysSeconds: field(cpu, 'used_cpu_sys'),
    netIn: field(stats, 'total_net_input_bytes'),
    netOut: field(stats, 'total_net_output_bytes'),
  };
}

const OBSERVER_COMMANDS = new Set(['info', 'config|resetstat', 'config']);
const r3 = (v) => Math.round(v * 1000) / 1000;

/** Redis work per event between two readings (same fields as BenchResult.RedisUsage). */
function usage(before, after, events, seconds, dataPathScriptsPerEvent) {
  const calls = {};
  let total = 0;
  for (const [name, n] of Object.entries(after.calls)) {
    if (OBSERVER_COMMANDS.has(name)) continue;
    const d = n - (before.calls[name] || 0);
    if (d > 0) { calls[name] = d; total += d; }
  }
  const evalsha = (calls.evalsha || 0) + (calls.eval || 0);
  const cpu = after.cpuSeconds - before.cpuSeconds;
  const scriptUsec = ['evalsha', 'eval'].reduce((s, c) => s + (after.usec[c] || 0) - (before.usec[c] || 0), 0);
  const byCommand = Object.fromEntries(Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, r3(v / events)]));
  return {
    commandsPerEvent: r3(total / events),
    evalshaPerEvent: r3(evalsha / events),
    otherEvalshaPerEvent: r3((evalsha - dataPathScriptsPerEvent * events) / events),
    publishPerEvent: r3((calls.publish || 0) / events),
    cpuMicrosPerEvent: r3((cpu * 1e6) / events),
    sysMicrosPerEvent: r3(((after.sysSeconds - before.sysSeconds) * 1e6) / events),
    cpuUtilization: r3(seconds > 0 ? cpu / seconds : 0),
    scriptMicrosPerEvent: r3(scriptUsec / events),
    netInBytesPerEvent: r3((after.netIn - before.netIn) / events),
    netOutBytesPerEvent: r3((after.netOut - before.netOut) / events),
    callsPerEventByCommand: byCommand,
  };
}

async function deleteKeys(redis, pattern) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function versionOf(pkg) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url))).version;
}

/** One run of o.events jobs on a fresh queue; its result (the queue's keys are deleted afterwards). */
async function runOnce(o) {
  const queueName = `bench-${randomBytes(5).toString('hex')}`;
  const loadAtStart = os.loadavg()[0];
  const admin = connect(o.uri);
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))[1];

  // the work, built before the clock starts (as the Java side does)
  const work = Array.from({ length: o.producers }, () => []);
  let payloadBytes = 0;
  for (let i = 0; i < o.events; i++) {
    const orderId = o.layout === 'grouped' ? Math.floor((i * o.orders) / o.events) + 1 : (i % o.orders) + 1;
    const json = payload(i, orderId);
    payloadBytes += json.length;
    const opts = o.keepCompleted ? {} : { removeOnComplete: true };
    if (o.dedup) opts.deduplication = { id: `${SHOP}|orders/updated|e${i}`, ttl: 3600000 };
    work[(orderId - 1) % o.producers].push({ name: 'orders/updated', data: JSON.parse(json), opts });
  }
  const queues = await Promise.all(work.map(async () => {
    const q = new Queue(queueName, { connection: connect(o.uri) });
    await q.waitUntilReady();
    return q;
  }));

  const workerConfig = { uri: o.uri, queueName, concurrency: o.concurrency, events: o.events, orders: o.orders,
    keepCompleted: o.keepCompleted };
  let local = null;
  let thread = null;
  let threadDone = null;
  const startConsumer = async () => {
    if (!o.split) {
      local = await startWorker(workerConfig);
      return;
    }
    thread = new Thread(new URL(import.meta.url), { workerData: workerConfig });
    const ready = new Promise((resolve, reject) => {
      threadDone = new Promise((resolveDone) => {
        thread.on('message', (m) => {
          if (m.type === 'ready') resolve();
          if (m.type === 'done') resolveDone(m);
        });
      });
      thread.on('error', reject);
    });
    await ready;
  };
  const consumerDone = () => (o.split
    ? threadDone.then(({ type, end, ...summary }) => ({ end: BigInt(end), summary }))
    : local.done.then((t) => ({ end: t.end, summary: t.summary() })));

  if (!o.phased) await startConsumer();
  const before = await readCounters(admin);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(work.map(async (jobs, p) => {
    const q = queues[p];
    if (o.batch === 1) {
      for (const j of jobs) await q.add(j.name, j.data, j.opts);
    } else {
      for (let k = 0; k < jobs.length; k += o.batch) await q.addBulk(jobs.slice(k, k + o.batch));
    }
  }));
  const enqueueDone = process.hrtime.bigint();
  const afterEnqueue = o.phased ? await readCounters(admin) : null;
  const drainStart = o.phased ? process.hrtime.bigint() : t0;
  if (o.phased) await startConsumer();
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), o.timeoutSeconds * 1000); });
  const finished = await Promise.race([consumerDone(), timeout]);
  clearTimeout(timer);
  const end = finished ? finished.end : process.hrtime.bigint();
  const after = await readCounters(admin);
  const cpu = process.cpuUsage(cpu0);

  const sec = (a, b) => Number(b - a) / 1e9;
  const wall = sec(t0, end);
  const enqueue = sec(t0, enqueueDone);
  const drain = sec(drainStart, end);
  const summary = finished ? finished.summary
    : (local ? local.tally.summary() : { completed: -1, missing: -1, duplicates: -1, outOfOrder: -1 });
  const counts = await queues[0].getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized');
  const left = Object.values(counts).reduce((s, n) => s + n, 0);

  if (local) await local.worker.close();
  if (thread) {
    thread.postMessage('close');
    await new Promise((resolve) => thread.on('message', (m) => { if (m.type === 'closed') resolve(); }));
    await thread.terminate();
  }
  await Promise.all(queues.map((q) => q.close()));
  await deleteKeys(admin, `bull:${queueName}:*`);
  disconnectAll();

  const result = {
    engine: 'bullmq',
    bullmqVersion: versionOf('bullmq'),
    ioredisVersion: versionOf('ioredis'),
    ordered: false,
    workload: { events: o.events, orders: o.orders, layout: o.layout, producers: o.producers, concurrency: o.concurrency,
      batch: o.batch, phased: o.phased, split: o.split, dedup: o.dedup, removeOnComplete: !o.keepCompleted },
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`, redisVersion, loadAverage: r3(loadAtStart) },
    payloadBytes: Math.round(payloadBytes / o.events),
    timing: { wallSeconds: r3(wall), eventsPerSecond: Math.round(o.events / wall),
      enqueueSeconds: r3(enqueue), enqueuePerSecond: Math.round(o.events / enqueue),
      drainSeconds: r3(drain), drainPerSecond: Math.round(o.events / drain) },
    redis: usage(before, after, o.events, wall, 2),
    enqueuePhase: afterEnqueue ? usage(before, afterEnqueue, o.events, enqueue, 1) : undefined,
    drainPhase: afterEnqueue ? usage(afterEnqueue, after, o.events, drain, 1) : undefined,
    client: { cpuMicrosPerEvent: r3((cpu.user + cpu.system) / o.events),
      cpuUtilization: r3((cpu.user + cpu.system) / 1e6 / wall) },
    correctness: { ...summary, jobsLeft: left },
    passed: !!finished && summary.completed === o.events && summary.missing === 0 && summary.duplicates === 0
      && left === 0,
  };
  return result;
}

async function main() {
  const o = options();
  // Untimed runs first, as the Java side warms its JIT: V8 compiles BullMQ's and ioredis' hot
  // paths during the first jobs. Two runs of --warmup jobs each, the same shape.
  for (let k = 0; o.warmup > 0 && k < 2; k++) {
    const warm = await runOnce({ ...o, events: o.warmup, orders: Math.max(1, Math.round((o.warmup * o.orders) / o.events)) });
    if (!warm.passed) throw new Error(`warm-up run ${k + 1} failed: ${JSON.stringify(warm.correctness)}`);
  }
  const result = await runOnce(o);
  result.workload.warmupRuns = o.warmup > 0 ? 2 : 0;
  result.workload.warmupJobs = o.warmup;
  const redisVersion = result.machine.redisVersion;
  if (o.json) {
    console.log(JSON.stringify(result));
  } else {
    const t = result.timing;
    const u = result.redis;
    console.log(`BullMQ ${result.bullmqVersion} (unordered) ${o.events} jobs over ${o.orders} orders, ` +
      `${o.producers} producers, batch ${o.batch}, concurrency ${o.concurrency}${o.split ? ', split' : ''}` +
      `${o.phased ? ', phased' : ''}; Redis ${redisVersion}, node ${process.version}, ${result.machine.cores} cores, ` +
      `load average ${result.machine.loadAverage} at start`);
    console.log(`  end to end ${t.eventsPerSecond} events/s (${t.wallSeconds} s); add ${t.enqueuePerSecond}/s` +
      (o.phased ? `; drain ${t.drainPerSecond}/s` : ''));
    console.log(`  Redis ${u.commandsPerEvent} commands/event, ${u.evalshaPerEvent} EVALSHA/event, ` +
      `${u.cpuMicrosPerEvent} us CPU/event (${u.cpuUtilization} cores); node ${result.client.cpuMicrosPerEvent} ` +
      `us CPU/event (${result.client.cpuUtilization} cores)`);
    console.log(`  checks ${result.passed ? 'PASSED' : 'FAILED'}: ${JSON.stringify(result.correctness)}`);
  }
  process.exitCode = result.passed ? 0 : 1;
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e.stack || String(e));
    process.exit(2);
  });
}
