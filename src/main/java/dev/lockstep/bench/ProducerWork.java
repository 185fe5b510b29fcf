package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer's events, built before the clock starts (so payload encoding is not timed): the
 * events of the orders it owns, in event order, so each order's acceptance order is its event order.
 */
final class ProducerWork {
    private final long[] orderIds;
    private final String[] dedupKeys;
    private final String[] payloads;

    private ProducerWork(int size) {
        orderIds = new long[size];
        dedupKeys = new String[size];
        payloads = new String[size];
    }

    static List<ProducerWork> plan(BenchSpec spec) {
        int[] sizes = new int[spec.producers()];
        for (int i = 0; i < spec.events(); i++) {
            sizes[spec.producerOf(spec.orderOf(i))]++;
        }
        List<ProducerWork> out = new ArrayList<>(spec.producers());
        for (int size : sizes) {
            out.add(new ProducerWork(size));
        }
        int[] fill = new int[spec.producers()];
        for (int i = 0; i < spec.events(); i++) {
            long order = spec.orderOf(i);
            int p = spec.producerOf(order);
            ProducerWork w = out.get(p);
            int k = fill[p]++;
            w.orderIds[k] = order;
            w.dedupKeys[k] = BenchPayload.dedupKey(i);
            w.payloads[k] = BenchPayload.json(i, order);
        }
        return out;
    }

    static int meanPayloadBytes(List<ProducerWork> work) {
        long bytes = 0;
        long n = 0;
        for (ProducerWork w : work) {
            for (String p : w.payloads) {
                bytes += p.length();
                n++;
            }
        }
        return n == 0 ? 0 : (int) Math.round((double) bytes / n);
    }

    int size() {
        return orderIds.length;
    }

    long orderId(int k) {
        return orderIds[k];
    }

    String dedupKey(int k) {
        return dedupKeys[k];
    }

    String payload(int k) {
        return payloads[k];
    }

    /** Enqueues all of this producer's events, in order. */
    void enqueue(Enqueuer enqueuer, AtomicLong notQueued) {
        for (int from = 0; from < size(); from += enqueuer.batch()) {
            enqueuer.enqueue(this, from, Math.min(enqueuer.batch(), size() - from), notQueued);
        }
    }
}
