#!/usr/bin/env node
// HTTP load on the Lockstep webhook ingest (POST /webhooks/orders): signed Shopify-style order
// webhooks, each with its own event id and webhook id (so none is a duplicate), fired by autocannon
// over N keep-alive connections for D seconds. Prints requests/s, latency p50/p99/max, non-2xx
// answers and errors (--json: one JSON object).
//
//   cd bench/http && npm ci
//   node load.mjs --url http://127.0.0.1:8088/webhooks/orders --secret lockstep-dev-secret
//        [--connections 500] [--duration 20] [--per-order 3] [--shop load.myshopify.com]
//        [--prebuild 200000] [--pipelining 1] [--json]
//
// The body is what dev.lockstep.ingest.OrderWebhookJson.body renders for the event (same fields,
// same order, same timestamp format); the X-Shopify-Hmac-Sha256 header is base64 HMAC-SHA256 of
// those exact bytes with the shared secret, as dev.lockstep.ingest.WebhookSignature computes it;
// header names are dev.lockstep.ingest.WebhookHeaders'. Request k is event k of a flash sale:
// order floor(k / perOrder) + 1 (ids offset by a per-run base so reruns do not collide), topics
// create, paid, updated, ... in turn, so each order's webhooks arrive close together.
// The first --prebuild requests are built and signed before the clock starts (so the load tool's
// CPU goes to sending, not to HMACs); beyond that they are built on the fly.

import autocannon from 'autocannon';
import { createHmac, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const HEADERS = {
  TOPIC: 'X-Shopify-Topic',
  HMAC_SHA256: 'X-Shopify-Hmac-Sha256',
  WEBHOOK_ID: 'X-Shopify-Webhook-Id',
  EVENT_ID: 'X-Shopify-Event-Id',
  TRIGGERED_AT: 'X-Shopify-Triggered-At',
  SHOP_DOMAIN: 'X-Shopify-Shop-Domain',
};

const TOPICS = ['orders/create', 'orders/paid', 'orders/updated'];
const FINANCIAL = { 'orders/create': 'pending', 'orders/paid': 'paid', 'orders/updated': 'paid' };
const UPDATED_AT = Date.UTC(2026, 0, 1);

/** OrderWebhookJson.formatTimestamp: uuuu-MM-dd'T'HH:mm:ss.SSSxxx at UTC. */
export function formatTimestamp(ms) {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** The bytes OrderWebhookJson.body renders (Jackson ObjectNode, insertion order, no spaces). */
export function orderBody({ orderId, updatedAt, financialStatus, fulfillmentStatus, lineItems }) {
  let totalCents = 0;
  const items = lineItems.map(({ sku, quantity }) => {
    totalCents += 1990 * quantity;
    return { sku, quantity, title: `Item ${sku}`, price: '19.90' };
  });
  return JSON.stringify({
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId}`,
    email: `buyer-${orderId}@example.com`,
    currency: 'USD',
    updated_at: formatTimestamp(updatedAt),
    financial_status: financialStatus,
    fulfillment_status: fulfillmentStatus,
    line_items: items,
    total_price: (totalCents / 100).toFixed(2),
  });
}

/** WebhookSignature.sign: base64 HMAC-SHA256 of the raw body bytes. */
export function sign(secret, body) {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** Request k of the run: a unique, signed webhook. */
export function webhook(k, { secret, shop, perOrder, orderBase, runId }) {
  const orderId = orderBase + Math.floor(k / perOrder) + 1;
  const topic = TOPICS[k % perOrder % TOPICS.length];
  const body = orderBody({
    orderId,
    updatedAt: UPDATED_AT + k,
    financialStatus: FINANCIAL[topic],
    fulfillmentStatus: null,
    lineItems: [{ sku: `SKU-${10000 + (k % 90000)}`, quantity: 1 + (k % 3) }],
  });
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      [HEADERS.TOPIC]: topic,
      [HEADERS.HMAC_SHA256]: sign(secret, body),
      [HEADERS.SHOP_DOMAIN]: shop,
      [HEADERS.TRIGGERED_AT]: new Date().toISOString(),
      [HEADERS.WEBHOOK_ID]: `w-${runId}-${k}`,
      [HEADERS.EVENT_ID]: `e-${runId}-${k}`,
    },
  };
}

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8088/webhooks/orders' },
      secret: { type: 'string', default: 'lockstep-dev-secret' },
      connections: { type: 'string', default: '500' },
      duration: { type: 'string', default: '20' },
      'per-order': { type: 'string', default: '3' },
      shop: { type: 'string', default: 'load.myshopify.com' },
      prebuild: { type: 'string', default: '200000' },
      pipelining: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const int = (name, min) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}: ${values[name]}`);
    return v;
  };
  return {
    url: values.url,
    secret: values.secret,
    connections: int('connections', 1),
    duration: int('duration', 1),
    perOrder: int('per-order', 1),
    shop: values.shop,
    prebuild: int('prebuild', 0),
    pipelining: int('pipelining', 1),
    json: values.json,
  };
}

function version() {
  return JSON.parse(readFileSync(new URL('./node_modules/autocannon/package.json', import.meta.url))).version;
}

async function main() {
  const o = options();
  if (!o.secret) throw new Error('--secret must not be empty');
  const runId = randomBytes(4).toString('hex');
  const gen = {
    secret: o.secret, shop: o.shop, perOrder: o.perOrder, runId,
    // fresh order ids per run: 1e9 + a random block of 1e7
    orderBase: 1_000_000_000 + (parseInt(runId, 16) % 10_000) * 10_000_000,
  };
  const prebuilt = new Array(o.prebuild);
  for (let k = 0; k < o.prebuild; k++) prebuilt[k] = webhook(k, gen);
  let next = 0;
  const loadAtStart = os.loadavg()[0];
  const cpu0 = process.cpuUsage();

  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.duration,
    pipelining: o.pipelining,
    // one request per call, fresh ids each time
    requests: [{
      setupRequest: (req) => {
        const k = next++;
        const w = k < prebuilt.length ? prebuilt[k] : webhook(k, gen);
        if (k < prebuilt.length) prebuilt[k] = undefined;
        return { ...req, method: w.method, body: w.body, headers: w.headers };
      },
    }],
  });
  const cpu = process.cpuUsage(cpu0);
  const wall = result.duration;
  const out = {
    tool: `autocannon ${version()}`,
    url: o.url,
    connections: o.connections,
    durationSeconds: wall,
    pipelining: o.pipelining,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / wall),
    latencyMs: {
      p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99,
      max: result.latency.max, mean: result.latency.mean,
    },
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    webhooksSent: next,
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version,
      loadAverage: Math.round(loadAtStart * 100) / 100 },
    loadToolCpuCores: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 100) / 100,
  };
  out.passed = out.non2xx === 0 && out.errors === 0 && out.timeouts === 0 && out.requests > 0;
  if (o.json) {
    console.log(JSON.stringify(out));
  } else {
    console.log(`${out.tool}: ${o.connections} connections, ${wall} s, POST ${o.url}; ` +
      `${out.machine.cores} cores, load average ${out.machine.loadAverage} at start, node ${process.version}`);
    console.log(`  ${out.requestsPerSecond.toLocaleString('en')} requests/s (${out.requests.toLocaleString('en')} requests)`);
    console.log(`  latency p50 ${out.latencyMs.p50} ms, p99 ${out.latencyMs.p99} ms, max ${out.latencyMs.max} ms`);
    console.log(`  2xx ${out.status2xx}, non-2xx ${out.non2xx}, errors ${out.errors}, timeouts ${out.timeouts}; ` +
      `load tool CPU ${out.loadToolCpuCores} cores`);
  }
  process.exitCode = out.passed ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e.stack || String(e));
    process.exit(2);
  });
}
