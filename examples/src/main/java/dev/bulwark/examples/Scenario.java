package dev.bulwark.examples;

import dev.bulwark.cqrs.Decision;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.saga.SagaState;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The scenario: starts the payment and shipping services and the shop, places orders at a steady rate while the
 * payment service goes through the {@linkplain ScenarioPhase#standard() phases}, waits for every saga to end,
 * audits the outcome and writes the reports.
 *
 * <pre>{@code
 * ScenarioReport report = Scenario.run(ShopOptions.defaults(), System.out);
 * boolean consistent = report.passed();
 * }</pre>
 */
final class Scenario {
    /** What the shop sells, at what price in cents. The lamp is scarce: some orders for it run out of stock. */
    static final Map<String, Long> PRICES = Map.of("kettle", 3499L, "teapot", 2599L, "mug", 899L, "grinder", 5999L,
            "lamp", 12900L);
    static final Map<String, Integer> STOCK = Map.of("kettle", 10_000, "teapot", 10_000, "mug", 10_000,
            "grinder", 10_000, "lamp", 12);
    private static final String[] SKUS = {"kettle", "teapot", "mug", "grinder", "kettle", "mug", "teapot", "lamp"};
    private static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final int PLACERS = 4;
    private static final int WARM_UP_CALLS = 20;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    private final ShopOptions options;
    private final PrintStream out;
    private final List<ScenarioPhase> phases = ScenarioPhase.standard();
    private final Timeline timeline = new Timeline();
    private final List<PlaceOrder> placed = new CopyOnWriteArrayList<>();
    private final AtomicInteger phase = new AtomicInteger(-1);
    private volatile boolean settling;

    private Scenario(ShopOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the scenario, printing progress to {@code out}, and writes the HTML report to the options' path.
     *
     * @return the report, whose {@link ScenarioReport#passed()} says whether every order ended consistently
     */
    static ScenarioReport run(ShopOptions options, PrintStream out) throws InterruptedException, IOException {
        return new Scenario(options, out).run();
    }

    /** Orders with ids starting with {@code prefix}, drawn from {@code seed}. */
    static List<PlaceOrder> orders(int count, long seed, String prefix) {
        Random random = new Random(seed);
        List<PlaceOrder> orders = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String sku = SKUS[random.nextInt(SKUS.length)];
            int quantity = 1 + random.nextInt(3);
            String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
            // One order in 25 goes to a PO box, which the carrier refuses: the whole saga is then undone.
            String address = random.nextInt(25) == 0 ? ShippingService.PO_BOX + " " + (1 + random.nextInt(999))
                    : (1 + random.nextInt(200)) + " Main Street";
            orders.add(new PlaceOrder(prefix + String.format(Locale.ROOT, "%05d", i), customer, sku, quantity,
                    quantity * PRICES.get(sku), address));
        }
        return orders;
    }

    private ScenarioReport run() throws InterruptedException, IOException {
        long seed = options.seed();
        String runPrefix = Long.toString(System.currentTimeMillis(), 36) + "-";
        List<PlaceOrder> orders = orders(options.orders(), seed, runPrefix);
        ScenarioReport report;
        try (PaymentService payments = PaymentService.start(seed, phases.get(0).payment());
                ShippingService shipping = ShippingService.start(seed + 1, phases.get(0).shipping());
                Shop shop = Shop.open(options.openStorage(), payments.uri(), shipping.uri(), new Inventory(STOCK),
                        seed, timeline::call)) {
            shop.paymentPolicies().breaker().onEvent(timeline::breakerEvent);
            shop.shippingPolicies().breaker().onEvent(timeline::breakerEvent);
            shop.onSagaStarted(timeline::sagaStarted);
            out.printf(Locale.ROOT, "Bulwark shop: placing %d orders at %s/s (seed %d)%n  %s%n  payment-service at %s,"
                    + " shipping-service at %s%n", orders.size(), trim(options.rate()), seed, shop.storageDescription(),
                    payments.uri(), shipping.uri());
            shop.warmUp(WARM_UP_CALLS);
            timeline.begin();
            double placedFor;
            try (Progress progress = Progress.start(options.progress(), out, () -> progressLine(shop, orders.size()))) {
                placedFor = place(orders, shop, payments, shipping);
                settling = true;
                timeline.awaitSettled(SETTLE_TIMEOUT);
            }
            payments.awaitIdle(Duration.ofSeconds(10));
            shipping.awaitIdle(Duration.ofSeconds(10));
            double elapsed = timeline.now() / 1e9;
            ConsistencyCheck.Result audit = ConsistencyCheck.run(shop, List.copyOf(placed), runPrefix);
            report = report(shop, audit, placedFor, elapsed);
        }
        HtmlReport.write(report, timeline, options.report());
        return report;
    }

    /** Places the orders at the configured rate, switching phases on the way; returns the seconds it took. */
    private double place(List<PlaceOrder> orders, Shop shop, PaymentService payments, ShippingService shipping)
            throws InterruptedException {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService placers = Executors.newFixedThreadPool(PLACERS,
                task -> new Thread(task, "shop-placer-" + threads.incrementAndGet()));
        try {
            long intervalNanos = (long) (1e9 / options.rate());
            for (int i = 0; i < orders.size(); i++) {
                int current = i * phases.size() / orders.size();
                if (current != phase.get()) {
                    ScenarioPhase next = phases.get(current);
                    payments.faults(next.payment());
                    shipping.faults(next.shipping());
                    timeline.phase(current, next.name());
                    phase.set(current);
                }
                long wait = i * intervalNanos - timeline.now();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                PlaceOrder order = orders.get(i);
                placers.execute(() -> placeOne(shop, order, current));
            }
        } finally {
            placers.shutdown();
            placers.awaitTermination(1, TimeUnit.MINUTES);
        }
        return timeline.now() / 1e9;
    }

    /** Places one order, then reads it back through the query bus, waiting for its own write. */
    private void placeOne(Shop shop, PlaceOrder order, int phaseIndex) {
        timeline.placing(order.orderId(), phaseIndex);
        Decision<OrderEvent, Order> decision;
        try {
            decision = shop.place(order);
        } catch (RuntimeException e) {
            timeline.placementFailed(order.orderId(), e);
            return;
        }
        placed.add(order);
        boolean seen;
        try {
            seen = shop.summary(order.orderId(), decision.position()).orderId().equals(order.orderId());
        } catch (RuntimeException e) {
            seen = false;
        }
        timeline.placed(order.orderId(), seen);
    }

    private String progressLine(Shop shop, int total) {
        Timeline.Counts c = timeline.counts();
        int index = phase.get();
        String phaseName = settling ? "settling" : index < 0 ? "starting" : phases.get(index).name();
        long retries = shop.paymentPolicies().retry().metrics().retries()
                + shop.shippingPolicies().retry().metrics().retries();
        return String.format(Locale.ROOT, "%s %d/%d %s | %d completed %d compensated %d in flight | breaker %s | %d"
                + " retries", Progress.bar(c.placed() + c.placementFailures(), total), c.placed(), total, phaseName,
                c.completed(), c.compensated(), c.inFlight(), shop.paymentPolicies().breaker().state(), retries);
    }

    private ScenarioReport report(Shop shop, ConsistencyCheck.Result audit, double placedFor, double elapsed) {
        List<Timeline.OrderTrack> tracks = timeline.orders();
        List<Timeline.PhaseMark> marks = timeline.phases();
        List<ScenarioReport.PhaseRow> rows = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            int index = i;
            double from = i < marks.size() ? marks.get(i).atNanos() / 1e9 : placedFor;
            double to = i + 1 < marks.size() ? marks.get(i + 1).atNanos() / 1e9 : placedFor;
            int placedInPhase = (int) tracks.stream().filter(t -> t.phase() == index && t.placed()).count();
            rows.add(new ScenarioReport.PhaseRow(phases.get(i).name(), phases.get(i).description(), from, to,
                    placedInPhase, ScenarioReport.count(tracks, i, SagaState.COMPLETED),
                    ScenarioReport.count(tracks, i, SagaState.COMPENSATED)));
        }
        List<String> failures = tracks.stream().filter(t -> t.state() == SagaState.COMPENSATED)
                .map(Timeline.OrderTrack::failure).collect(Collectors.toList());
        List<CallSample> samples = timeline.samples().stream().filter(s -> !s.operation().equals("ledger")).toList();
        Map<String, LatencyStats> latencies = new LinkedHashMap<>();
        for (String operation : List.of("payment-service charge", "payment-service refund", "shipping-service book",
                "shipping-service cancel")) {
            latencies.put(operation, LatencyStats.ofNanos(samples.stream()
                    .filter(s -> operation.equals(s.service() + " " + s.operation()))
                    .map(CallSample::durationNanos).toList()));
        }
        latencies.put("order: placed to saga end", LatencyStats.ofNanos(tracks.stream()
                .filter(t -> t.state() != null).map(t -> t.endedNanos() - t.placedNanos()).toList()));
        List<ScenarioReport.PolicyRow> policies = new ArrayList<>();
        for (RemotePolicies p : List.of(shop.paymentPolicies(), shop.shippingPolicies())) {
            policies.add(new ScenarioReport.PolicyRow(p.service(),
                    (int) samples.stream().filter(s -> s.service().equals(p.service())).count(),
                    p.retry().metrics().retries(), p.retry().metrics().budgetExhausted(),
                    p.compensationRetry().metrics().retries(), p.breaker().snapshot().notPermittedCalls(),
                    p.bulkhead().rejectedCalls(), p.breaker().state()));
        }
        Timeline.Counts counts = timeline.counts();
        int readYourWrites = (int) tracks.stream().filter(Timeline.OrderTrack::sawOwnWrite).count();
        String title = String.format(Locale.ROOT, "%d orders at %s/s, seed %d", options.orders(),
                trim(options.rate()), options.seed());
        return new ScenarioReport(title, shop.storageDescription(), elapsed, rows, counts.placementFailures(),
                readYourWrites, ScenarioReport.tally(failures), timeline.transitions(), latencies, policies,
                shop.commandsHandled(), audit, options.report());
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
