package dev.bulwark.examples;

import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.saga.SagaFailure;
import dev.bulwark.saga.SagaState;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The numbers of a scenario run, and their text form. The HTML form is {@link HtmlReport}'s.
 *
 * @param title what ran: orders, rate, seed
 * @param storage where events and sagas were kept
 * @param elapsedSeconds from the first order placed to the audit
 * @param phases what each phase was and did
 * @param placementFailures orders that could not be placed (there are then no such orders)
 * @param readYourWrites placements whose query, right after the command, found the order
 * @param reasons why orders were compensated, with how many each
 * @param transitions every breaker transition, in time order
 * @param latencies percentiles per HTTP operation, and of whole orders
 * @param policies what the resilience policies of each service did
 * @param commands how many commands of each type the command bus handled
 * @param audit what the consistency check found
 * @param html where the HTML report is written
 */
record ScenarioReport(String title, String storage, double elapsedSeconds, List<PhaseRow> phases,
        int placementFailures, int readYourWrites, Map<String, Integer> reasons, List<Timeline.Transition> transitions,
        Map<String, LatencyStats> latencies, List<PolicyRow> policies, Map<String, Long> commands,
        ConsistencyCheck.Result audit, Path html) {

    /** One phase: its span (seconds since the start) and what became of the orders placed in it. */
    record PhaseRow(String name, String description, double from, double to, int placed, int completed,
            int compensated) {}

    /**
     * What the policies guarding one service did.
     *
     * @param attempts HTTP attempts made
     * @param retries retries of forward calls (charge, book)
     * @param budgetRefused retries the retry budget refused
     * @param compensationRetries retries of compensations (refund, cancel)
     * @param breakerRejections calls the open breaker refused
     * @param bulkheadRejections calls the full bulkhead refused
     * @param breakerState the breaker's state at the end
     */
    record PolicyRow(String service, int attempts, long retries, long budgetRefused, long compensationRetries,
            long breakerRejections, long bulkheadRejections, CircuitBreaker.State breakerState) {}

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());
    private static final Pattern STATUS = Pattern.compile("answered (\\d{3})");

    /** Whether every order was placed and ended consistently: the exit code is 0 then. */
    boolean passed() {
        return audit.consistent() && placementFailures == 0;
    }

    int completed() {
        return phases.stream().mapToInt(PhaseRow::completed).sum();
    }

    int compensated() {
        return phases.stream().mapToInt(PhaseRow::compensated).sum();
    }

    int placed() {
        return phases.stream().mapToInt(PhaseRow::placed).sum();
    }

    /** The wall-clock time of a transition, as {@code HH:mm:ss.SSS}. */
    static String clock(long wallMillis) {
        return CLOCK.format(Instant.ofEpochMilli(wallMillis));
    }

    /**
     * Groups the reason a saga was compensated: the step, how it failed, the exception's simple name and, for an
     * HTTP answer, its status, such as {@code "step 'charge-payment' failed: RemoteServiceException (HTTP 503)"}.
     * A reason without a step (the saga's timeout) is its description.
     */
    static String reason(SagaFailure reason) {
        if (reason == null) {
            return "unknown";
        }
        if (reason.stepId() == null) {
            return reason.description();
        }
        String how = switch (reason.outcome()) {
            case TIMED_OUT -> "timed out";
            case UNCERTAIN -> "failed, effect unknown";
            default -> "failed";
        };
        String key = "step '" + reason.stepId() + "' " + how;
        if (reason.errorType() == null) {
            return key;
        }
        key += ": " + reason.errorType().substring(reason.errorType().lastIndexOf('.') + 1);
        Matcher status = STATUS.matcher(String.valueOf(reason.errorMessage()));
        return status.find() ? key + " (HTTP " + status.group(1) + ")" : key;
    }

    /** Tallies reasons, the most frequent first. */
    static Map<String, Integer> tally(List<String> reasons) {
        Map<String, Integer> counts = reasons.stream().collect(Collectors.toMap(r -> r, r -> 1, Integer::sum));
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** Counts the orders of one phase by how their sagas ended. */
    static int count(List<Timeline.OrderTrack> orders, int phase, SagaState state) {
        return (int) orders.stream().filter(o -> o.phase() == phase && o.state() == state).count();
    }

    /** The report as text, for the terminal. */
    String text() {
        StringBuilder out = new StringBuilder();
        line(out, "Bulwark shop: %s", title);
        line(out, "Storage: %s", storage);
        line(out, "Ran %.1f s.", elapsedSeconds);
        line(out, "");
        line(out, "%-10s %-15s %7s %10s %12s   %s", "phase", "time", "placed", "completed", "compensated",
                "what happened");
        for (PhaseRow p : phases) {
            line(out, "%-10s %5.1f - %5.1f s %7d %10d %12d   %s", p.name(), p.from(), p.to(), p.placed(),
                    p.completed(), p.compensated(), p.description());
        }
        line(out, "");
        line(out, "Orders: %d placed, %d completed, %d compensated, %d not ended; %d placements failed.", placed(),
                completed(), compensated(), placed() - completed() - compensated(), placementFailures);
        line(out, "Read-your-writes: %d of %d orders were found by the query right after their command.",
                readYourWrites, placed());
        if (!reasons.isEmpty()) {
            line(out, "Why orders were compensated:");
            reasons.forEach((why, n) -> line(out, "  %5d  %s", n, why));
        }
        line(out, "");
        line(out, "Circuit breaker transitions:");
        if (transitions.isEmpty()) {
            line(out, "  none");
        }
        for (Timeline.Transition t : transitions) {
            line(out, "  %-17s +%7.3f s  %s  %s -> %s", t.breaker(), t.atNanos() / 1e9, clock(t.wallMillis()),
                    t.from(), t.to());
        }
        line(out, "");
        line(out, "Latency:");
        latencies.forEach((what, stats) -> line(out, "  %-26s %s", what, stats.format(what.startsWith("order")
                ? "orders" : "attempts")));
        line(out, "");
        line(out, "Resilience policies:");
        for (PolicyRow p : policies) {
            line(out, "  %-17s %d HTTP attempts; %d retries (%d refused by the retry budget); %d compensation"
                    + " retries;", p.service(), p.attempts(), p.retries(), p.budgetRefused(), p.compensationRetries());
            line(out, "  %-17s %d calls refused by the open breaker, %d by the full bulkhead; breaker now %s", "",
                    p.breakerRejections(), p.bulkheadRejections(), p.breakerState());
        }
        line(out, "");
        PaymentService.Ledger pay = audit.payments();
        ShippingService.Ledger ship = audit.shipments();
        line(out, "Ledgers (as the services keep them):");
        line(out, "  payment-service   %d charge requests -> %d charges, %d of them refunded;", pay.chargeRequests(),
                pay.charges().size(), pay.charges().stream().filter(PaymentService.LedgerEntry::refunded).count());
        line(out, "                    %d refund requests, %d of them for keys never charged (barred since)",
                pay.refundRequests(), pay.voidedKeys().size());
        line(out, "  shipping-service  %d booking requests -> %d shipments, %d of them cancelled;",
                ship.shipmentRequests(), ship.shipments().size(),
                ship.shipments().stream().filter(ShippingService.LedgerEntry::cancelled).count());
        line(out, "                    %d cancel requests, %d of them for keys never booked (barred since)",
                ship.cancelRequests(), ship.voidedKeys().size());
        line(out, "Commands handled: %s", commands.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        line(out, "");
        if (audit.consistent()) {
            line(out, "Consistency: OK. Each of the %d confirmed orders was charged once, shipped once and took its",
                    audit.confirmed());
            line(out, "stock; each of the %d cancelled orders has its payment refunded (or never charged), its shipment",
                    audit.cancelled());
            line(out, "cancelled (or never booked) and its stock released.");
        } else {
            line(out, "Consistency: BROKEN, %d violations:", audit.violations().size());
            audit.violations().stream().limit(50).forEach(v -> line(out, "  - %s", v));
        }
        line(out, "");
        line(out, "HTML report: %s", html.toAbsolutePath().toUri());
        return out.toString();
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
