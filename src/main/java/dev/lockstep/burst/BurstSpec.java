package dev.lockstep.burst;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What burst to generate. The same spec (seed included) always gives the same {@link BurstPlan}.
 *
 * @param orders       how many orders, 1..10,000,000
 * @param duplicates   probability that an event is delivered more than once, 0..1
 * @param reorder      probability that an event (one with a later event in its order) is delivered after
 *                     a later event of its order, 0..1
 * @param seed         seed of the generator
 * @param skus         size of the SKU set the orders draw from, 1..10,000 (small, so orders contend for stock)
 * @param shop         shop domain of every delivery
 * @param firstOrderId order id of the first order; the others follow consecutively
 * @param initialStock initial stock of every SKU; 0 picks one that no run can drive below zero
 * @param eventsPerOrder exact events per order, 1..{@value #MAX_EVENTS_PER_ORDER}; 0 (the default) is the
 *                     natural mix: create, sometimes updated, paid, sometimes updated, sometimes
 *                     fulfilled or cancelled
 */
public record BurstSpec(int orders, double duplicates, double reorder, long seed, int skus, String shop,
                        long firstOrderId, long initialStock, int eventsPerOrder) {

    public static final int MAX_EVENTS_PER_ORDER = 50;
    /** The natural mix of lifecycles (see {@link #eventsPerOrder()}). */
    public static final int NATURAL_MIX = 0;

    public static final int MAX_ORDERS = 10_000_000;
    public static final int MAX_SKUS = 10_000;
    public static final int DEFAULT_SKUS = 8;
    public static final String DEFAULT_SHOP = "lockstep-demo.myshopify.com";
    public static final long DEFAULT_FIRST_ORDER_ID = 1_000_001L;
    /** Picks the initial stock automatically (see {@link #stockPerSku()}). */
    public static final long AUTO_STOCK = 0L;

    // The default burst: the one definition behind the console's Burst view and the CLI's burst flags, so the
    // same seed and flags give the same burst in both (the last two say how it is fired, not what is generated).
    public static final int DEFAULT_ORDERS = 2_000;
    public static final int DEFAULT_EVENTS_PER_ORDER = 4;
    public static final double DEFAULT_DUPLICATES = 0.05;
    public static final double DEFAULT_REORDER = 0.30;
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_IN_FLIGHT = 64;
    public static final double DEFAULT_PAUSE_RATE = 0.0;

    public BurstSpec {
        if (orders < 1 || orders > MAX_ORDERS) {
            throw new IllegalArgumentException("orders must be 1.." + MAX_ORDERS + ", was " + orders);
        }
        requireRate("duplicates", duplicates);
        requireRate("reorder", reorder);
        if (skus < 1 || skus > MAX_SKUS) {
            throw new IllegalArgumentException("skus must be 1.." + MAX_SKUS + ", was " + skus);
        }
        Objects.requireNonNull(shop, "shop");
        if (shop.isBlank()) {
            throw new IllegalArgumentException("shop must not be blank");
        }
        if (firstOrderId < 1 || firstOrderId > Long.MAX_VALUE - orders) {
            throw new IllegalArgumentException("firstOrderId must be 1.." + (Long.MAX_VALUE - orders)
                    + " (positive, and room for " + orders + " consecutive ids), was " + firstOrderId);
        }
        if (initialStock < 0) {
            throw new IllegalArgumentException("initialStock must be 0 (automatic) or positive, was " + initialStock);
        }
        if (eventsPerOrder < 0 || eventsPerOrder > MAX_EVENTS_PER_ORDER) {
            throw new IllegalArgumentException("eventsPerOrder must be 0 (natural mix) or 1.." + MAX_EVENTS_PER_ORDER
                    + ", was " + eventsPerOrder);
        }
    }

    /** The spec before events per order existed: the natural mix. */
    public BurstSpec(int orders, double duplicates, double reorder, long seed, int skus, String shop, long firstOrderId,
                     long initialStock) {
        this(orders, duplicates, reorder, seed, skus, shop, firstOrderId, initialStock, NATURAL_MIX);
    }

    public BurstSpec withEventsPerOrder(int n) {
        return new BurstSpec(orders, duplicates, reorder, seed, skus, shop, firstOrderId, initialStock, n);
    }

    /** A spec with the defaults: {@value #DEFAULT_SKUS} SKUs, the demo shop, automatic stock. */
    public static BurstSpec of(int orders, double duplicates, double reorder, long seed) {
        return new BurstSpec(orders, duplicates, reorder, seed, DEFAULT_SKUS, DEFAULT_SHOP, DEFAULT_FIRST_ORDER_ID,
                AUTO_STOCK);
    }

    /** The default burst (the {@code DEFAULT_*} constants): what the Burst view and {@code lockstep burst} start from. */
    public static BurstSpec defaults() {
        return of(DEFAULT_ORDERS, DEFAULT_DUPLICATES, DEFAULT_REORDER, DEFAULT_SEED)
                .withEventsPerOrder(DEFAULT_EVENTS_PER_ORDER);
    }

    public BurstSpec withSkus(int n) {
        return new BurstSpec(orders, duplicates, reorder, seed, n, shop, firstOrderId, initialStock, eventsPerOrder);
    }

    public BurstSpec withShop(String s) {
        return new BurstSpec(orders, duplicates, reorder, seed, skus, s, firstOrderId, initialStock, eventsPerOrder);
    }

    public BurstSpec withFirstOrderId(long id) {
        return new BurstSpec(orders, duplicates, reorder, seed, skus, shop, id, initialStock, eventsPerOrder);
    }

    public BurstSpec withInitialStock(long stock) {
        return new BurstSpec(orders, duplicates, reorder, seed, skus, shop, firstOrderId, stock, eventsPerOrder);
    }

    /**
     * The initial stock of each SKU. Automatic: ten units per order (an order takes at most three of
     * one SKU, so even every event of every order taking stock three times stays above zero), rounded
     * up to a thousand.
     */
    public long stockPerSku() {
        if (initialStock != AUTO_STOCK) {
            return initialStock;
        }
        long tenPerOrder = 10L * orders;
        return Math.max(1_000L, (tenPerOrder + 999L) / 1_000L * 1_000L);
    }

    /** The SKU names, {@code SKU-01}, {@code SKU-02}, ... (the first ones are the most wanted). */
    public List<String> skuNames() {
        int width = Math.max(2, String.valueOf(skus).length());
        List<String> names = new ArrayList<>(skus);
        for (int i = 1; i <= skus; i++) {
            names.add(String.format(Locale.ROOT, "SKU-%0" + width + "d", i));
        }
        return names;
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a rate in 0..1, was " + rate);
        }
    }
}
