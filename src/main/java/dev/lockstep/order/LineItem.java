package dev.lockstep.order;

import java.util.Objects;

/** One line of an order: how many units of one SKU it takes from stock. */
public record LineItem(String sku, int quantity) {
    public LineItem {
        Objects.requireNonNull(sku, "sku");
        if (sku.isBlank()) {
            throw new IllegalArgumentException("sku is blank");
        }
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive: " + quantity);
        }
    }
}
