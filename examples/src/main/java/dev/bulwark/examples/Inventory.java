package dev.bulwark.examples;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shop's own stock: a local participant of the fulfilment saga, kept in this process's memory.
 *
 * <p>Reservations are keyed by the saga step's idempotency key. Reserving again with a key that holds a
 * reservation returns it; releasing is idempotent; and a key that was released first (the saga compensated a
 * reservation whose call had not arrived yet) can never reserve afterwards, so a late reservation cannot strand
 * stock that nobody will release.
 *
 * <pre>{@code
 * Inventory inventory = new Inventory(Map.of("kettle", 10));
 * Reservation held = inventory.reserve("saga-7/reserve-stock", "kettle", 2);
 * inventory.release("saga-7/reserve-stock");
 * }</pre>
 *
 * <p>Thread-safe: one lock guards every field; nothing slow happens while it is held.
 */
public final class Inventory {

    /** Stock held for one order. */
    public record Reservation(String key, String sku, int quantity) {}

    /** There is not enough of a product left. */
    public static final class OutOfStockException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStockException(String sku, int wanted, int available) {
            super("out of stock: " + wanted + " x " + sku + " wanted, " + available + " available");
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> initial;
    /** Guarded by {@link #lock}. */
    private final Map<String, Integer> available;
    /** Guarded by {@link #lock}. */
    private final Map<String, Reservation> held = new LinkedHashMap<>();
    /** Keys released (or released before they reserved anything). Guarded by {@link #lock}. */
    private final Set<String> released = new HashSet<>();

    /**
     * An inventory with these quantities in stock.
     *
     * @throws IllegalArgumentException if a quantity is negative
     */
    public Inventory(Map<String, Integer> stock) {
        Objects.requireNonNull(stock, "stock");
        stock.forEach((sku, quantity) -> {
            if (quantity < 0) {
                throw new IllegalArgumentException("stock of " + sku + " must not be negative, was " + quantity);
            }
        });
        this.initial = Map.copyOf(stock);
        this.available = new LinkedHashMap<>(stock);
    }

    /**
     * Holds {@code quantity} of {@code sku} under {@code key}; returns the reservation already held under the key
     * if there is one.
     *
     * @throws OutOfStockException if there is not enough left
     * @throws IllegalStateException if the key was released before: the saga has given this reservation up
     * @throws IllegalArgumentException for an unknown sku or a quantity below 1
     */
    public Reservation reserve(String key, String sku, int quantity) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sku, "sku");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
        }
        lock.lock();
        try {
            Reservation existing = held.get(key);
            if (existing != null) {
                return existing;
            }
            if (released.contains(key)) {
                throw new IllegalStateException("reservation " + key + " was released before it was made");
            }
            Integer left = available.get(sku);
            if (left == null) {
                throw new IllegalArgumentException("unknown sku \"" + sku + "\"");
            }
            if (left < quantity) {
                throw new OutOfStockException(sku, quantity, left);
            }
            available.put(sku, left - quantity);
            Reservation reservation = new Reservation(key, sku, quantity);
            held.put(key, reservation);
            return reservation;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back what {@code key} holds, if anything, and bars the key from reserving; returns whether it held stock. */
    public boolean release(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            released.add(key);
            Reservation reservation = held.remove(key);
            if (reservation == null) {
                return false;
            }
            available.merge(reservation.sku(), reservation.quantity(), Integer::sum);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The quantities the inventory started with. */
    public Map<String, Integer> initialStock() {
        return initial;
    }

    /** The quantities not held by any reservation now. */
    public Map<String, Integer> availableStock() {
        lock.lock();
        try {
            return Map.copyOf(available);
        } finally {
            lock.unlock();
        }
    }

    /** The reservations held now, by key. */
    public Map<String, Reservation> reservations() {
        lock.lock();
        try {
            return Map.copyOf(held);
        } finally {
            lock.unlock();
        }
    }
}
