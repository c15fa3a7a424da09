package dev.bulwark.eventstore;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The events and snapshot states the conformance suite stores, and the registries that know them. */
public final class TestEvents {

    private TestEvents() {}

    /** An item put in a cart. */
    public record ItemAdded(String sku, int quantity) {}

    /** An item taken out of a cart. */
    public record ItemRemoved(String sku) {}

    /** A cart's state, for snapshots. */
    public record Cart(List<String> skus, int itemCount) {}

    /** Version 1 of "item-added", before it had a quantity. */
    public record ItemAddedV1(String sku) {}

    /** Version 1 of "cart", before it counted items. */
    public record CartV1(List<String> skus) {}

    /** An event type only some registries know. */
    public record GiftWrapped(String paper) {}

    /** Counts how often Jackson builds one, to see how far a subscription has read. */
    public record Counted(int n) {
        public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

        public Counted {
            CONSTRUCTED.incrementAndGet();
        }
    }

    /** The registry the suite uses by default: "item-added" at version 2 with its upcaster, "cart" likewise. */
    public static EventTypeRegistry registry() {
        return EventTypeRegistry.builder()
                .register("item-added", 2, ItemAdded.class)
                .register("item-removed", ItemRemoved.class)
                .register("cart", 2, Cart.class)
                .register("counted", Counted.class)
                .upcaster("item-added", 1, data -> data.put("quantity", 1))
                .upcaster("cart", 1, data -> data.put("itemCount", data.get("skus").size()))
                .build();
    }

    /** The registry of an older application: "item-added" and "cart" at version 1, plus "gift-wrapped". */
    public static EventTypeRegistry version1Registry() {
        return EventTypeRegistry.builder()
                .register("item-added", ItemAddedV1.class)
                .register("item-removed", ItemRemoved.class)
                .register("cart", CartV1.class)
                .register("gift-wrapped", GiftWrapped.class)
                .build();
    }
}
