package dev.bulwark.saga;

/** Saga data used by the tests. */
record Order(String sku, int quantity, String note) {
    Order(String sku, int quantity) {
        this(sku, quantity, null);
    }

    Order withNote(String note) {
        return new Order(sku, quantity, note);
    }
}
