/**
 * The webhook ingest: {@code POST /webhooks/orders} (Shopify-style headers, HMAC over the raw body,
 * validation, dedup key) handing each valid delivery to a {@link dev.lockstep.pipeline.Pipeline}, and
 * {@code GET /health}.
 * Layer 2: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses config, order,
 * pipeline.
 *
 * <h2>Why Undertow</h2>
 * A webhook burst is many small requests whose only slow step is the blocking enqueue into Redis, so
 * the server must keep connections cheap and keep that blocking call off the network threads.
 * Undertow makes exactly that split: a few non-blocking XNIO IO threads (one per core) accept
 * connections, check method, content type and size and read bodies without ever blocking, and only a
 * request that got that far is dispatched to a bounded worker pool sized for the enqueue calls expected
 * in flight (64 by default). It is a small embeddable library with no servlet container or annotation
 * scanning that starts in milliseconds on a free port, which suits a desktop console that starts and
 * stops its own ingest, and it has long been among the fastest JVM HTTP servers in public benchmarks
 * such as TechEmpower's.
 */
package dev.lockstep.ingest;
