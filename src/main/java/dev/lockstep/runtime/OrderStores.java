package dev.lockstep.runtime;

import com.mongodb.client.MongoClient;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.NaiveOrderStore;
import dev.lockstep.store.OrderStore;

/** The store of each mode, each in its own database so runs never mix. */
public final class OrderStores {
    private OrderStores() {
    }

    /** {@code <base>} for lockstep, {@code <base>_naive-lock}, {@code <base>_unsafe}. */
    public static String databaseFor(Mode mode, String base) {
        return mode == Mode.LOCKSTEP ? base : base + "_" + mode.id();
    }

    public static OrderStore forMode(Mode mode, MongoClient client, String base) {
        var db = client.getDatabase(databaseFor(mode, base));
        return mode == Mode.LOCKSTEP ? new FencedOrderStore(db) : new NaiveOrderStore(db);
    }
}
