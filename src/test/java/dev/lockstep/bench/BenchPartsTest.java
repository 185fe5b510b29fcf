package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Payloads, workload layout, spec validation and INFO parsing. */
class BenchPartsTest {

    @Test
    void payloadIsTheQueueJsonOfAnOrderEventAndCarriesItsIndex() {
        String json = BenchPayload.json(12345, 346);
        OrderEvent e = OrderEventCodec.decode(json);
        assertThat(e.orderId()).isEqualTo(346);
        assertThat(e.eventId()).isEqualTo("e12345");
        assertThat(BenchPayload.indexOf(json)).isEqualTo(12345);
        assertThat(BenchPayload.indexOf(BenchPayload.json(0, 1))).isZero();
        // bench/bullmq/bench.mjs builds these very bytes: keep the two in step
        assertThat(json).isEqualTo("{\"shop\":\"bench.myshopify.com\",\"topic\":\"UPDATED\",\"orderId\":346,"
                + "\"eventId\":\"e12345\",\"webhookId\":\"w12345\",\"updatedAt\":1767225612345,\"financialStatus\":\"paid\","
                + "\"fulfillmentStatus\":null,\"lineItems\":[{\"sku\":\"SKU-22345\",\"quantity\":1}]}");
        assertThatThrownBy(() -> BenchPayload.indexOf("{}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachOrderBelongsToOneProducerAndEveryEventIsPlannedOnce() {
        BenchSpec spec = BenchSpec.defaults().withEvents(1000, 70).withThreads(3, 2);
        List<ProducerWork> work = ProducerWork.plan(spec);
        assertThat(work).hasSize(3);
        Set<Integer> seen = new HashSet<>();
        for (int p = 0; p < work.size(); p++) {
            ProducerWork w = work.get(p);
            long[] lastIndexOfOrder = new long[71];
            for (int k = 0; k < w.size(); k++) {
                assertThat(spec.producerOf(w.orderId(k))).isEqualTo(p);
                int index = BenchPayload.indexOf(w.payload(k));
                assertThat(seen.add(index)).isTrue();
                assertThat(spec.orderOf(index)).isEqualTo(w.orderId(k));
                assertThat(index).isGreaterThanOrEqualTo((int) lastIndexOfOrder[(int) w.orderId(k)]);
                lastIndexOfOrder[(int) w.orderId(k)] = index;
                assertThat(w.dedupKey(k)).isEqualTo(BenchPayload.dedupKey(index));
            }
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void badWorkloadsAreRefusedWithTheirName() {
        BenchSpec d = BenchSpec.defaults();
        assertThatThrownBy(() -> d.withEvents(0, 1)).hasMessageContaining("events");
        assertThatThrownBy(() -> d.withEvents(10, 11)).hasMessageContaining("orders");
        assertThatThrownBy(() -> d.withThreads(0, 1)).hasMessageContaining("producers");
        assertThatThrownBy(() -> d.withThreads(1, 0)).hasMessageContaining("workers");
        assertThatThrownBy(() -> d.withPartitions(0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> d.withEnqueueBatch(0)).hasMessageContaining("batch");
        assertThatThrownBy(() -> d.withQueueName("a b")).hasMessageContaining("queue name");
    }

    @Test
    void infoDeltasLeaveOutTheObserverAndCountScriptCalls() {
        RedisCounters before = RedisCounters.parse(
                "# Commandstats\r\ncmdstat_evalsha:calls=10,usec=100,usec_per_call=10.00\r\n"
                        + "cmdstat_hincrby:calls=40,usec=20,usec_per_call=0.50\r\ncmdstat_info:calls=3,usec=9\r\n",
                "# CPU\r\nused_cpu_sys:1.500000\r\nused_cpu_user:2.000000\r\n",
                "# Stats\r\ntotal_net_input_bytes:1000\r\ntotal_net_output_bytes:500\r\n");
        RedisCounters after = RedisCounters.parse(
                "cmdstat_evalsha:calls=30,usec=400,usec_per_call=13.00\r\ncmdstat_hincrby:calls=120,usec=60\r\n"
                        + "cmdstat_publish:calls=2,usec=4\r\ncmdstat_info:calls=9,usec=30\r\n",
                "used_cpu_sys:1.600000\r\nused_cpu_user:2.300000\r\n",
                "total_net_input_bytes:6000\r\ntotal_net_output_bytes:900\r\n");
        RedisCounters.Delta d = after.since(before);
        assertThat(d.calls()).containsOnlyKeys("evalsha", "hincrby", "publish");
        assertThat(d.totalCalls()).isEqualTo(20 + 80 + 2);
        assertThat(d.usec("evalsha")).isEqualTo(300);
        assertThat(d.cpuSeconds()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.netInBytes()).isEqualTo(5000);

        BenchResult.RedisUsage u = BenchResult.RedisUsage.of(d, 10, 2.0, 2);
        assertThat(u.evalshaPerEvent()).isEqualTo(2.0);
        assertThat(u.otherEvalshaPerEvent()).isZero();
        assertThat(u.commandsPerEvent()).isEqualTo(10.2);
        assertThat(u.cpuMicrosPerEvent()).isEqualTo(40000.0);
        assertThat(u.cpuUtilization()).isEqualTo(0.2);
        assertThat(u.callsPerEventByCommand().keySet()).containsExactly("hincrby", "evalsha", "publish");
    }
}
