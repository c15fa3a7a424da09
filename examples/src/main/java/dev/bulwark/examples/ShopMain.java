package dev.bulwark.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the shop scenario from the command line: {@code java -jar examples/target/shop.jar [--help]}.
 *
 * <p>Exit codes: 0 when every order ended consistently; 1 when the audit found a broken rule (or an order could not
 * be placed); 2 for bad arguments; 3 when the scenario itself crashed.
 */
public final class ShopMain {
    static final int CONSISTENT = 0;
    static final int INCONSISTENT = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int CRASHED = 3;

    private ShopMain() {}

    /** Runs the scenario and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, System.getenv()));
    }

    /** Runs the scenario with these arguments and environment; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(ShopOptions.USAGE);
            return CONSISTENT;
        }
        ShopOptions options;
        try {
            options = ShopOptions.parse(args, env);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("shop: " + e.getMessage());
            return BAD_ARGUMENTS;
        }
        try {
            ScenarioReport report = Scenario.run(options, out);
            out.print(report.text());
            out.flush();
            return report.passed() ? CONSISTENT : INCONSISTENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("shop: interrupted");
            return CRASHED;
        } catch (Exception e) {
            err.println("shop: the scenario crashed: " + e);
            e.printStackTrace(err);
            return CRASHED;
        }
    }
}
