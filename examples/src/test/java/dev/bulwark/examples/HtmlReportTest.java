package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The HTML report: well-formed, self-contained, with the timeline chart drawn from what was recorded. */
class HtmlReportTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    private final Timeline timeline = new Timeline();

    private String render(List<String> violations) {
        timeline.begin();
        timeline.phase(0, "healthy");
        long start = System.nanoTime();
        timeline.call(new CallSample("payment-service", "charge", start, 12_000_000, CallSample.Result.SUCCEEDED));
        timeline.call(new CallSample("payment-service", "charge", start, 250_000_000, CallSample.Result.TIMED_OUT));
        timeline.call(new CallSample("payment-service", "refund", start, 400_000_000, CallSample.Result.SUCCEEDED));
        timeline.call(new CallSample("shipping-service", "book", start, 20_000_000, CallSample.Result.SUCCEEDED));
        timeline.breakerEvent(new CircuitBreakerEvent.StateTransition("payment-service", 1_000, State.CLOSED,
                State.OPEN));
        timeline.breakerEvent(new CircuitBreakerEvent.CallRejected("payment-service", 1_001, State.OPEN));
        timeline.phase(1, "failing");
        timeline.placing("order-1", 0);
        timeline.placed("order-1", true);
        ScenarioReport report = new ScenarioReport("1 order at 1/s, seed 1", "events in memory", 1.5,
                List.of(new ScenarioReport.PhaseRow("healthy", "fine", 0, 1, 1, 1, 0)), 0, 1,
                Map.of("step 'charge-payment' failed: <CallNotPermittedException> & more", 1),
                timeline.transitions(), Map.of("payment-service charge", LatencyStats.ofNanos(List.of(12_000_000L))),
                List.of(new ScenarioReport.PolicyRow("payment-service", 2, 1, 0, 0, 1, 0, State.OPEN),
                        new ScenarioReport.PolicyRow("shipping-service", 1, 0, 0, 0, 0, 0, State.CLOSED)),
                Map.of("PlaceOrder", 1L),
                new ConsistencyCheck.Result(1, 0, violations,
                        new PaymentService.Ledger(List.of(), List.of(), 0, 0),
                        new ShippingService.Ledger(List.of(), List.of(), 0, 0)),
                Path.of("report.html"));
        return HtmlReport.render(report, timeline);
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> titles(NodeList shapes) {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < shapes.getLength(); i++) {
            NodeList title = ((Element) shapes.item(i)).getElementsByTagNameNS(SVG, "title");
            titles.add(title.getLength() == 0 ? "" : title.item(0).getTextContent());
        }
        return titles;
    }

    @Test
    void the_page_is_well_formed_and_holds_one_svg_timeline() throws Exception {
        Document page = parse(render(List.of()));

        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(page.getElementsByTagNameNS(SVG, "svg").getLength()).isEqualTo(1);
        assertThat(page.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Bulwark shop scenario");
    }

    @Test
    void the_chart_shows_the_breaker_states_and_one_point_per_payment_attempt() throws Exception {
        Document page = parse(render(List.of()));

        List<String> bands = titles(page.getElementsByTagNameNS(SVG, "rect"));
        assertThat(bands).anyMatch(t -> t.startsWith("payment-service CLOSED"))
                .anyMatch(t -> t.startsWith("payment-service OPEN from"))
                .anyMatch(t -> t.startsWith("shipping-service CLOSED from"));
        NodeList points = page.getElementsByTagNameNS(SVG, "circle");
        assertThat(titles(points))
                .hasSize(3)
                .anyMatch(t -> t.startsWith("charge 12.0 ms SUCCEEDED"))
                .anyMatch(t -> t.startsWith("charge 250.0 ms TIMED_OUT"))
                .anyMatch(t -> t.startsWith("refund 400.0 ms SUCCEEDED"));
        assertThat(((Element) points.item(2)).getAttribute("fill")).isEqualTo("none");
        assertThat(page.getElementsByTagNameNS(SVG, "text")).satisfies(texts -> {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < texts.getLength(); i++) {
                labels.add(texts.item(i).getTextContent());
            }
            assertThat(labels).contains("healthy", "failing", "payment-service breaker", "charge timeout 250 ms");
        });
    }

    @Test
    void the_page_needs_nothing_from_outside() {
        String html = render(List.of());

        assertThat(html).doesNotContain("src=", "href=", "url(", "@import", "<script", "<link");
        assertThat(html.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "")
                .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:");
    }

    @Test
    void text_from_the_run_is_escaped_and_violations_are_listed() throws Exception {
        String html = render(List.of("order <1> & co is CONFIRMED but its stock is not reserved"));

        Document page = parse(html);
        assertThat(html).contains("&lt;CallNotPermittedException&gt; &amp; more");
        assertThat(page.getElementsByTagName("li").item(0).getTextContent())
                .isEqualTo("order <1> & co is CONFIRMED but its stock is not reserved");
        assertThat(html).contains("Inconsistent:");
    }
}
