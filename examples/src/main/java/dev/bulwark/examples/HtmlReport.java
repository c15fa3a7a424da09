package dev.bulwark.examples;

import dev.bulwark.resilience.CircuitBreaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scenario report as one self-contained HTML page: inline CSS and an inline SVG timeline (phases, each order's
 * outcome, the breakers' states, every payment attempt's latency), then the tables of the text report. No script,
 * no external resource: it opens from disk, offline, and stays readable as a file attached to a ticket.
 *
 * <p>The markup is well-formed XML (XHTML syntax), so tools and tests can parse it.
 */
final class HtmlReport {
    private static final int WIDTH = 980;
    private static final int LEFT = 150;
    private static final int RIGHT = 20;
    private static final int PLOT_TOP = 175;
    private static final int PLOT_BOTTOM = 420;
    private static final int HEIGHT = 470;

    private final StringBuilder html = new StringBuilder(64 * 1024);
    private final ScenarioReport report;
    private final Timeline timeline;
    private final double seconds;

    private HtmlReport(ScenarioReport report, Timeline timeline) {
        this.report = report;
        this.timeline = timeline;
        double end = report.elapsedSeconds();
        for (CallSample sample : timeline.samples()) {
            end = Math.max(end, (timeline.sinceStart(sample) + sample.durationNanos()) / 1e9);
        }
        this.seconds = Math.max(end, 0.001);
    }

    /** Renders the page. */
    static String render(ScenarioReport report, Timeline timeline) {
        return new HtmlReport(report, timeline).page();
    }

    /** Renders the page into {@code file}, creating its directory if needed. */
    static void write(ScenarioReport report, Timeline timeline, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, render(report, timeline), StandardCharsets.UTF_8);
    }

    private String page() {
        raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
        raw("<meta charset=\"utf-8\"/>\n<title>Bulwark shop scenario</title>\n<style>\n");
        raw("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1040px}"
                + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:.2em .8em;text-align:left;"
                + "border-bottom:1px solid #ddd}td.n{text-align:right;font-variant-numeric:tabular-nums}"
                + "td{white-space:nowrap}td:last-child{white-space:normal}.ok{color:#1e7b45}.broken{color:#b3261e}"
                + "svg{font-size:11px}"
                + "code{background:#f3f3f3;padding:0 .2em}\n</style>\n</head>\n<body>\n");
        raw("<h1>Bulwark shop: scenario report</h1>\n");
        el("p", report.title() + ". Storage: " + report.storage() + ". Ran " + fmt(report.elapsedSeconds()) + " s.");
        verdict();
        raw("<h2>Timeline</h2>\n");
        chart();
        el("p", "Top: the phases, then one tick per order at the time it was placed (green: completed, red: "
                + "compensated), the breakers' states, and the calls the open payment breaker refused. Below: one "
                + "mark per HTTP attempt to the payment service at the time it started, by how long it took: dots "
                + "for charges, rings for refunds (whose timeout is " + RemotePolicies.COMPENSATION_TIMEOUT_MILLIS
                + " ms). A charge can time out below the line: the wait for a bulkhead permit counts against the "
                + "timeout too.");
        phases();
        reasons();
        transitions();
        latencies();
        policies();
        raw("</body>\n</html>\n");
        return html.toString();
    }

    private void verdict() {
        ConsistencyCheck.Result audit = report.audit();
        if (audit.consistent()) {
            raw("<p class=\"ok\"><strong>Consistent.</strong> ");
            text(audit.confirmed() + " confirmed orders were each charged once, shipped once and took their stock; "
                    + audit.cancelled() + " cancelled orders have their payment refunded (or never charged), their "
                    + "shipment cancelled (or never booked) and their stock released.");
            raw("</p>\n");
            return;
        }
        raw("<p class=\"broken\"><strong>Inconsistent:</strong> ");
        text(audit.violations().size() + " violations.");
        raw("</p>\n<ul>\n");
        audit.violations().stream().limit(200).forEach(v -> el("li", v));
        raw("</ul>\n");
    }

    private void chart() {
        raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 "
                + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"Timeline of phases, orders, breaker states and "
                + "payment latency\">\n");
        List<Timeline.PhaseMark> marks = timeline.phases();
        for (int i = 0; i < marks.size(); i++) {
            double from = marks.get(i).atNanos() / 1e9;
            double to = i + 1 < marks.size() ? marks.get(i + 1).atNanos() / 1e9 : seconds;
            rect(x(from), 10, x(to) - x(from), PLOT_BOTTOM - 10, i % 2 == 0 ? "#f4f6fb" : "#ffffff", null);
            svgText(x(from) + 4, 24, marks.get(i).name(), "start", "#445");
        }
        label(52, "orders placed");
        for (Timeline.OrderTrack order : timeline.orders()) {
            String color = order.state() == null ? "#999" : switch (order.state()) {
                case COMPLETED -> "#2e9d5b";
                case COMPENSATED -> "#d64545";
                default -> "#7a4fd6";
            };
            rect(x(order.placedNanos() / 1e9), 40, 1.2, 18, color, order.orderId() + ": " + order.state());
        }
        int row = 0;
        for (ScenarioReport.PolicyRow policy : report.policies()) {
            breakerBand(policy.service(), 70 + row * 28);
            row++;
        }
        label(134, "calls refused (open)");
        for (Timeline.Rejection rejection : timeline.rejections()) {
            if (rejection.breaker().equals("payment-service")) {
                rect(x(rejection.atNanos() / 1e9), 126, 1, 12, "#d64545", null);
            }
        }
        latencyPlot();
        legend();
        raw("</svg>\n");
    }

    private void breakerBand(String breaker, int y) {
        label(y + 12, breaker + " breaker");
        CircuitBreaker.State state = CircuitBreaker.State.CLOSED;
        double from = 0;
        for (Timeline.Transition t : timeline.transitions()) {
            if (!t.breaker().equals(breaker)) {
                continue;
            }
            double at = t.atNanos() / 1e9;
            rect(x(from), y, Math.max(0.5, x(at) - x(from)), 18, stateColor(state), breaker + " " + state + " "
                    + fmt(from) + "-" + fmt(at) + " s");
            state = t.to();
            from = at;
        }
        rect(x(from), y, Math.max(0.5, x(seconds) - x(from)), 18, stateColor(state), breaker + " " + state + " from "
                + fmt(from) + " s");
    }

    private void latencyPlot() {
        double maxMillis = RemotePolicies.TIMEOUT_MILLIS * 1.6;
        for (CallSample sample : timeline.samples()) {
            maxMillis = Math.max(maxMillis, sample.durationNanos() / 1e6);
        }
        double top = Math.ceil(maxMillis / 100) * 100;
        for (int tick = 0; tick <= top; tick += (int) Math.max(50, top / 5 / 50 * 50)) {
            double y = y(tick, top);
            raw("<line x1=\"" + LEFT + "\" y1=\"" + fmt(y) + "\" x2=\"" + (WIDTH - RIGHT) + "\" y2=\"" + fmt(y)
                    + "\" stroke=\"#e4e4e4\"/>\n");
            svgText(LEFT - 6, y + 4, tick + " ms", "end", "#666");
        }
        double timeoutY = y(RemotePolicies.TIMEOUT_MILLIS, top);
        raw("<line x1=\"" + LEFT + "\" y1=\"" + fmt(timeoutY) + "\" x2=\"" + (WIDTH - RIGHT) + "\" y2=\"" + fmt(timeoutY)
                + "\" stroke=\"#b3261e\" stroke-dasharray=\"4 3\"/>\n");
        svgText(WIDTH - RIGHT, timeoutY - 4, "charge timeout " + RemotePolicies.TIMEOUT_MILLIS + " ms", "end",
                "#b3261e");
        svgText(LEFT - 6, PLOT_TOP - 12, "payment latency", "end", "#222");
        for (CallSample sample : timeline.samples()) {
            if (!sample.service().equals("payment-service")) {
                continue;
            }
            double at = timeline.sinceStart(sample) / 1e9;
            double millis = sample.durationNanos() / 1e6;
            // Charges are filled dots; refunds, which have a longer timeout, are rings.
            String paint = sample.operation().equals("charge")
                    ? "fill=\"" + resultColor(sample.result()) + "\" fill-opacity=\"0.7\""
                    : "fill=\"none\" stroke=\"" + resultColor(sample.result()) + "\"";
            raw("<circle cx=\"" + fmt(x(at)) + "\" cy=\"" + fmt(y(millis, top)) + "\" r=\"2.2\" " + paint + "><title>");
            text(sample.operation() + " " + fmt(millis) + " ms " + sample.result() + " at " + fmt(at) + " s");
            raw("</title></circle>\n");
        }
        int step = (int) Math.max(1, Math.ceil(seconds / 12));
        for (int s = 0; s <= seconds; s += step) {
            svgText(x(s), PLOT_BOTTOM + 16, s + " s", "middle", "#666");
        }
        raw("<line x1=\"" + LEFT + "\" y1=\"" + PLOT_BOTTOM + "\" x2=\"" + (WIDTH - RIGHT) + "\" y2=\"" + PLOT_BOTTOM
                + "\" stroke=\"#888\"/>\n");
    }

    private void legend() {
        String[][] items = {{"#2e9d5b", "closed / completed / ok"}, {"#e6a23c", "half-open"},
            {"#d64545", "open / compensated / failed"}, {"#7a4fd6", "timed out / parked"}, {"#8a8a8a", "refused (4xx)"}};
        double x = LEFT;
        for (String[] item : items) {
            rect(x, HEIGHT - 18, 10, 10, item[0], null);
            svgText(x + 14, HEIGHT - 9, item[1], "start", "#444");
            x += 30 + item[1].length() * 6;
        }
    }

    private void phases() {
        raw("<h2>Phases</h2>\n<table>\n<tr><th>phase</th><th>from</th><th>to</th><th>placed</th><th>completed</th>"
                + "<th>compensated</th><th>what happened</th></tr>\n");
        for (ScenarioReport.PhaseRow p : report.phases()) {
            row(p.name(), fmt(p.from()) + " s", fmt(p.to()) + " s", p.placed(), p.completed(), p.compensated(),
                    p.description());
        }
        raw("</table>\n");
        el("p", "Read-your-writes: " + report.readYourWrites() + " of " + report.placed()
                + " orders were found by the query sent right after their command.");
    }

    private void reasons() {
        raw("<h2>Why orders were compensated</h2>\n<table>\n<tr><th>orders</th><th>reason</th></tr>\n");
        report.reasons().forEach((why, n) -> row(n, why));
        raw("</table>\n");
    }

    private void transitions() {
        raw("<h2>Circuit breaker transitions</h2>\n<table>\n<tr><th>breaker</th><th>at</th><th>clock</th>"
                + "<th>from</th><th>to</th></tr>\n");
        for (Timeline.Transition t : report.transitions()) {
            row(t.breaker(), "+" + String.format(Locale.ROOT, "%.3f", t.atNanos() / 1e9) + " s",
                    ScenarioReport.clock(t.wallMillis()), t.from(), t.to());
        }
        raw("</table>\n");
    }

    private void latencies() {
        raw("<h2>Latency</h2>\n<table>\n<tr><th>what</th><th>count</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>"
                + "<th>max ms</th></tr>\n");
        for (Map.Entry<String, LatencyStats> e : report.latencies().entrySet()) {
            LatencyStats s = e.getValue();
            row(e.getKey(), s.count(), fmt(s.p50()), fmt(s.p90()), fmt(s.p99()), fmt(s.max()));
        }
        raw("</table>\n");
    }

    private void policies() {
        raw("<h2>Resilience policies and ledgers</h2>\n<table>\n<tr><th>service</th><th>HTTP attempts</th>"
                + "<th>retries</th><th>refused by budget</th><th>compensation retries</th><th>refused by breaker</th>"
                + "<th>refused by bulkhead</th><th>breaker at the end</th></tr>\n");
        for (ScenarioReport.PolicyRow p : report.policies()) {
            row(p.service(), p.attempts(), p.retries(), p.budgetRefused(), p.compensationRetries(),
                    p.breakerRejections(), p.bulkheadRejections(), p.breakerState());
        }
        raw("</table>\n");
        PaymentService.Ledger pay = report.audit().payments();
        ShippingService.Ledger ship = report.audit().shipments();
        el("p", "payment-service: " + pay.chargeRequests() + " charge requests, " + pay.charges().size() + " charges, "
                + pay.charges().stream().filter(PaymentService.LedgerEntry::refunded).count() + " refunded, "
                + pay.voidedKeys().size() + " refunds of keys never charged (barred from charging since).");
        el("p", "shipping-service: " + ship.shipmentRequests() + " booking requests, " + ship.shipments().size()
                + " shipments, " + ship.shipments().stream().filter(ShippingService.LedgerEntry::cancelled).count()
                + " cancelled, " + ship.voidedKeys().size() + " cancellations of keys never booked (barred since).");
    }

    private double x(double second) {
        return LEFT + (WIDTH - LEFT - RIGHT) * Math.min(1, Math.max(0, second / seconds));
    }

    private static double y(double millis, double top) {
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * Math.min(1, millis / top);
    }

    private void label(double y, String text) {
        svgText(LEFT - 6, y, text, "end", "#222");
    }

    private void rect(double x, double y, double w, double h, String fill, String title) {
        raw("<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h)
                + "\" fill=\"" + fill + "\"");
        if (title == null) {
            raw("/>\n");
            return;
        }
        raw("><title>");
        text(title);
        raw("</title></rect>\n");
    }

    private void svgText(double x, double y, String text, String anchor, String color) {
        raw("<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + color + "\">");
        text(text);
        raw("</text>\n");
    }

    private void row(Object... cells) {
        raw("<tr>");
        for (Object cell : cells) {
            raw(cell instanceof Number ? "<td class=\"n\">" : "<td>");
            text(String.valueOf(cell));
            raw("</td>");
        }
        raw("</tr>\n");
    }

    private void el(String tag, String text) {
        raw("<" + tag + ">");
        text(text);
        raw("</" + tag + ">\n");
    }

    private void raw(String markup) {
        html.append(markup);
    }

    private void text(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> html.append("&lt;");
                case '>' -> html.append("&gt;");
                case '&' -> html.append("&amp;");
                case '"' -> html.append("&quot;");
                default -> html.append(c);
            }
        }
    }

    private static String stateColor(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> "#2e9d5b";
            case OPEN, FORCED_OPEN -> "#d64545";
            case HALF_OPEN -> "#e6a23c";
            default -> "#8a8a8a";
        };
    }

    private static String resultColor(CallSample.Result result) {
        return switch (result) {
            case SUCCEEDED -> "#2e9d5b";
            case FAILED -> "#d64545";
            case TIMED_OUT -> "#7a4fd6";
            case REFUSED -> "#8a8a8a";
        };
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
