package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole scenario, small: 60 orders at 20 a second through the four phases, on the embedded journal, with a fixed
 * seed. Whatever the timing does to the breaker, every order must end consistently.
 */
class ScenarioTest {
    /** With this seed, 4 of the 60 orders go to a PO box, which the carrier refuses: they are surely undone. */
    private static final long SEED = 5;
    private static final int ORDERS = 60;

    @TempDir
    Path dir;

    private ShopOptions options() {
        return new ShopOptions(ORDERS, 20, SEED, null, null, null, dir.resolve("journal"), dir.resolve("report.html"),
                Progress.Mode.LINES);
    }

    @Test
    void every_order_ends_confirmed_or_fully_undone() throws Exception {
        long poBoxes = Scenario.orders(ORDERS, SEED, "any-").stream()
                .filter(o -> o.address().startsWith(ShippingService.PO_BOX)).count();
        assertThat(poBoxes).isEqualTo(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ScenarioReport report = Scenario.run(options(), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(report.audit().violations()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.placed()).isEqualTo(ORDERS);
        assertThat(report.completed() + report.compensated()).isEqualTo(ORDERS);
        assertThat(report.audit().confirmed()).isEqualTo(report.completed()).isPositive();
        assertThat(report.audit().cancelled()).isEqualTo(report.compensated()).isGreaterThanOrEqualTo((int) poBoxes);
        assertThat(report.readYourWrites()).isEqualTo(ORDERS);
        assertThat(report.phases()).extracting(ScenarioReport.PhaseRow::name)
                .containsExactly("healthy", "failing", "slow", "recovered");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("/60 ").contains("in flight | breaker");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg").contains("Consistent.");
    }

    @Test
    void the_command_line_exits_0_after_a_consistent_run_and_says_where_the_report_is() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = ShopMain.run(List.of("--orders=" + ORDERS, "--rate=30", "--seed=" + SEED, "--progress=off",
                "--data-dir=" + dir.resolve("journal"), "--report=" + dir.resolve("run.html")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed + err.toString(StandardCharsets.UTF_8)).isEqualTo(ShopMain.CONSISTENT);
        assertThat(printed).contains("Consistency: OK.").contains("Circuit breaker transitions:")
                .contains("HTML report: " + dir.resolve("run.html").toUri());
        assertThat(dir.resolve("run.html")).exists();
        assertThat(dir.resolve("journal")).isDirectory();
    }
}
