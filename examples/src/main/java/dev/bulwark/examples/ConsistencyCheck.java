package dev.bulwark.examples;

import dev.bulwark.examples.Inventory.Reservation;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.saga.SagaSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The auditor: after a run, checks every order against the write side (its events), the read side (its summary),
 * the local stock, and the payment and shipping services' own ledgers (read over HTTP, as an auditor would).
 *
 * <p>The rules: every order is final. A {@code CONFIRMED} order has exactly one charge of its amount that was not
 * refunded, exactly one shipment that was not cancelled, and its stock reserved. A {@code CANCELLED} order has no
 * charge left (none, or refunded), no shipment left, and no stock held. The read model agrees with the events.
 * The stock taken from the shelves is exactly what the confirmed orders bought, and nothing in the ledgers
 * belongs to an order this run did not place.
 *
 * <pre>{@code
 * ConsistencyCheck.Result result = ConsistencyCheck.run(shop, placedOrders, runPrefix);
 * if (!result.violations().isEmpty()) { ... }
 * }</pre>
 */
final class ConsistencyCheck {

    /**
     * What the audit found.
     *
     * @param confirmed orders confirmed
     * @param cancelled orders cancelled
     * @param violations one line per broken rule; empty when everything is consistent
     * @param payments the payment service's ledger as read
     * @param shipments the shipping service's ledger as read
     */
    record Result(int confirmed, int cancelled, List<String> violations, PaymentService.Ledger payments,
            ShippingService.Ledger shipments) {
        boolean consistent() {
            return violations.isEmpty();
        }
    }

    private final Shop shop;
    private final PaymentService.Ledger payments;
    private final ShippingService.Ledger shipments;
    private final Map<String, Reservation> held;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Integer> soldBySku = new TreeMap<>();
    private final Set<String> confirmedSagas = new HashSet<>();
    private int confirmed;
    private int cancelled;

    private ConsistencyCheck(Shop shop) {
        this.shop = shop;
        this.payments = shop.payments().ledger();
        this.shipments = shop.shipping().ledger();
        this.held = shop.inventory().reservations();
    }

    /**
     * Audits {@code orders}, the orders this run placed; ledger entries for other orders whose id starts with
     * {@code runPrefix} are violations, those of other runs (PostgreSQL mode resumes their sagas) are not judged.
     */
    static Result run(Shop shop, List<PlaceOrder> orders, String runPrefix) {
        ConsistencyCheck check = new ConsistencyCheck(shop);
        long head = shop.headPosition();
        Map<String, List<PaymentService.LedgerEntry>> charges = group(check.payments.charges(),
                PaymentService.LedgerEntry::orderId);
        Map<String, List<ShippingService.LedgerEntry>> bookings = group(check.shipments.shipments(),
                ShippingService.LedgerEntry::orderId);
        for (PlaceOrder order : orders) {
            check.order(order, head, charges.getOrDefault(order.orderId(), List.of()),
                    bookings.getOrDefault(order.orderId(), List.of()));
        }
        Set<String> ours = orders.stream().map(PlaceOrder::orderId).collect(Collectors.toSet());
        check.strays(charges.keySet(), ours, runPrefix, "payment-service charged");
        check.strays(bookings.keySet(), ours, runPrefix, "shipping-service booked a shipment for");
        check.stock();
        return new Result(check.confirmed, check.cancelled, List.copyOf(check.violations), check.payments,
                check.shipments);
    }

    private void order(PlaceOrder placed, long head, List<PaymentService.LedgerEntry> charges,
            List<ShippingService.LedgerEntry> bookings) {
        String id = placed.orderId();
        Order order = shop.order(id);
        OrderSummary summary = shop.summary(id, head);
        List<PaymentService.LedgerEntry> charged = charges.stream().filter(c -> !c.refunded()).toList();
        List<ShippingService.LedgerEntry> booked = bookings.stream().filter(s -> !s.cancelled()).toList();
        Reservation reservation = order.sagaId() == null ? null : held.get(order.sagaId() + "/reserve-stock");
        if (summary.status() != order.status()) {
            fail(id, "the read model says " + summary.status() + " but its events say " + order.status());
        }
        switch (order.status()) {
            case CONFIRMED -> {
                confirmed++;
                confirmedSagas.add(order.sagaId());
                if (charged.size() != 1 || charged.get(0).amountCents() != placed.amountCents()
                        || !charged.get(0).chargeId().equals(order.chargeId())) {
                    fail(id, "is CONFIRMED with charge " + order.chargeId() + " of " + placed.amountCents()
                            + " cents, but the payment ledger holds " + charged);
                }
                if (booked.size() != 1 || !booked.get(0).trackingId().equals(order.trackingId())) {
                    fail(id, "is CONFIRMED with shipment " + order.trackingId() + ", but the carrier holds " + booked);
                }
                if (reservation == null || !reservation.sku().equals(placed.sku())
                        || reservation.quantity() != placed.quantity()) {
                    fail(id, "is CONFIRMED but its stock is not reserved: " + reservation);
                }
                soldBySku.merge(placed.sku(), placed.quantity(), Integer::sum);
            }
            case CANCELLED -> {
                cancelled++;
                if (!charged.isEmpty()) {
                    fail(id, "is CANCELLED but was charged and not refunded: " + charged);
                }
                if (!booked.isEmpty()) {
                    fail(id, "is CANCELLED but its shipment was not cancelled: " + booked);
                }
                if (reservation != null) {
                    fail(id, "is CANCELLED but still holds stock: " + reservation);
                }
            }
            default -> fail(id, "did not end: it is " + order.status() + sagaState(order));
        }
    }

    private String sagaState(Order order) {
        if (order.sagaId() == null) {
            return " and no saga accepted it";
        }
        return shop.sagas().find(order.sagaId())
                .map((SagaSummary s) -> ", its saga " + s.sagaId() + " is " + s.state() + ": " + s.message())
                .orElse(", its saga " + order.sagaId() + " is unknown to this node");
    }

    private void strays(Set<String> orderIds, Set<String> ours, String runPrefix, String what) {
        for (String orderId : orderIds) {
            if (orderId.startsWith(runPrefix) && !ours.contains(orderId)) {
                violations.add(what + " order " + orderId + ", which this run never placed");
            }
        }
    }

    private void stock() {
        Map<String, Integer> heldBySku = new HashMap<>();
        for (Reservation reservation : held.values()) {
            heldBySku.merge(reservation.sku(), reservation.quantity(), Integer::sum);
            String sagaId = reservation.key().substring(0, reservation.key().lastIndexOf('/'));
            if (!confirmedSagas.contains(sagaId)) {
                violations.add("stock " + reservation + " is held, but no confirmed order of this run has its saga");
            }
        }
        Map<String, Integer> available = shop.inventory().availableStock();
        shop.inventory().initialStock().forEach((sku, initial) -> {
            int taken = initial - available.getOrDefault(sku, 0);
            int sold = soldBySku.getOrDefault(sku, 0);
            if (taken != sold || heldBySku.getOrDefault(sku, 0) != sold) {
                violations.add("stock of " + sku + ": " + taken + " taken from the shelf, "
                        + heldBySku.getOrDefault(sku, 0) + " held, but confirmed orders bought " + sold);
            }
        });
    }

    private void fail(String orderId, String what) {
        violations.add("order " + orderId + " " + what);
    }

    private static <T> Map<String, List<T>> group(List<T> entries, Function<T, String> orderId) {
        return entries.stream().collect(Collectors.groupingBy(orderId));
    }
}
