package dev.lockstep.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The article's handler (docs/DESIGN.md, "The article") is unsafe on purpose: these tests pin down that it really loses and duplicates. */
class NaiveOrderStoreTest {
    private static final int ROUNDS = 30;
    private NaiveOrderStore store;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @BeforeEach
    void setUp() {
        store = new NaiveOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
        store.reset();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private static OrderEvent create(long order, String eventId) {
        return new OrderEvent("s", Topic.CREATE, order, eventId, "", 100, "pending", null, List.of(new LineItem("A", 1)));
    }

    @Test
    void sequentialUseIsCorrect() {
        store.seedStock(Map.of("A", 10L));
        store.apply(create(1, "c1"), OrderStore.NO_FENCE, "w");
        store.apply(new OrderEvent("s", Topic.PAID, 1, "p1", "", 200, "paid", null, List.of(new LineItem("A", 1))), 0, "w");
        assertThat(store.orders()).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo(OrderState.PAID);
            assertThat(o.history()).hasSize(2);
        });
        assertThat(store.stock()).containsEntry("A", 9L);
    }

    @Test
    void concurrentCreatesOfOneOrderMakeDuplicateDocuments() throws Exception {
        int rounds = 0;
        boolean duplicated = false;
        while (!duplicated && rounds++ < ROUNDS) {
            store.reset();
            store.seedStock(Map.of("A", 1000L));
            race(8, i -> store.apply(create(7, "c7-" + i), OrderStore.NO_FENCE, "w" + i));
            duplicated = store.orders().size() > 1;
        }
        assertThat(duplicated).as("8 simultaneous creates of one order made more than one document").isTrue();
    }

    @Test
    void parallelOrdersOfOneSkuLoseInventoryUpdates() throws Exception {
        int rounds = 0;
        boolean lost = false;
        while (!lost && rounds++ < ROUNDS) {
            store.reset();
            store.seedStock(Map.of("A", 1000L));
            race(16, i -> store.apply(create(100 + i, "c" + i), OrderStore.NO_FENCE, "w" + i));
            lost = store.stock().get("A") != 1000 - 16;
        }
        assertThat(lost).as("16 one-unit orders of one SKU in parallel lost a stock update").isTrue();
    }

    private void race(int n, java.util.function.IntConsumer task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            fs.add(pool.submit(() -> {
                start.await();
                task.accept(id);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }
}
