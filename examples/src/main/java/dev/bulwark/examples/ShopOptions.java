package dev.bulwark.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a scenario run, from the command line and the environment.
 *
 * <pre>{@code
 * ShopOptions options = ShopOptions.parse(List.of("--orders=100", "--seed=7"), System.getenv());
 * }</pre>
 *
 * @param orders how many orders to place, spread evenly over the phases; 4 to 100,000
 * @param rate orders placed per second; above 0, at most 1,000
 * @param seed seeds the orders, the services' faults and the retries' jitter
 * @param postgresUrl a JDBC URL: events and sagas go to PostgreSQL; or {@code null} for the embedded storage
 * @param postgresUser the PostgreSQL user, or {@code null}
 * @param postgresPassword the PostgreSQL password, or {@code null}
 * @param dataDir the journal directory (kept), or {@code null} for a temporary one; not with PostgreSQL
 * @param report where to write the HTML report
 * @param progress how to show progress while the scenario runs
 */
public record ShopOptions(int orders, double rate, long seed, String postgresUrl, String postgresUser,
        String postgresPassword, Path dataDir, Path report, Progress.Mode progress) {

    /** The environment variables that choose PostgreSQL, as in the project's tests. */
    static final String PG_URL = "BULWARK_PG_URL";
    static final String PG_USER = "BULWARK_PG_USER";
    static final String PG_PASSWORD = "BULWARK_PG_PASSWORD";

    static final String USAGE = String.join("\n",
            "usage: java -jar examples/target/shop.jar [options]",
            "",
            "Runs the Bulwark shop: places orders while the payment service goes healthy, failing, slow and",
            "recovered, then checks that every order ended consistently. Exit code 0 when it did, 1 when not.",
            "",
            "  --orders=N          orders to place (default 300)",
            "  --rate=R            orders per second (default 25)",
            "  --seed=S            seed of orders, faults and jitter (default 42)",
            "  --postgres=URL      keep events and sagas in PostgreSQL at this JDBC URL",
            "                      (or set BULWARK_PG_URL; user and password: --pg-user, --pg-password",
            "                      or BULWARK_PG_USER, BULWARK_PG_PASSWORD)",
            "  --data-dir=DIR      keep the embedded journal in DIR (default: a temporary directory)",
            "  --report=FILE       where to write the HTML report (default: bulwark-shop-report.html in the",
            "                      temporary directory)",
            "  --progress=MODE     auto, bar, lines or off (default auto: a live bar on a terminal)",
            "  --help              this text");

    public ShopOptions {
        if (orders < 4 || orders > 100_000) {
            throw new IllegalArgumentException("orders must be in [4, 100000], was " + orders);
        }
        if (!(rate > 0 && rate <= 1000)) {
            throw new IllegalArgumentException("rate must be in (0, 1000], was " + rate);
        }
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(progress, "progress");
        if (postgresUrl != null && dataDir != null) {
            throw new IllegalStateException("--data-dir is for the embedded journal and cannot be combined with "
                    + "PostgreSQL (" + postgresUrl + ")");
        }
        if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("postgres must be a JDBC URL starting with jdbc:postgresql:, was "
                    + postgresUrl);
        }
    }

    /** 300 orders at 25 a second, seed 42, embedded storage, the report in the temporary directory. */
    public static ShopOptions defaults() {
        return new ShopOptions(300, 25, 42, null, null, null, null,
                Path.of(System.getProperty("java.io.tmpdir"), "bulwark-shop-report.html"), Progress.Mode.AUTO);
    }

    /**
     * Reads {@code --name=value} arguments over the defaults; the PostgreSQL variables of {@code env} apply unless
     * an argument says otherwise.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it
     */
    public static ShopOptions parse(List<String> args, Map<String, String> env) {
        ShopOptions d = defaults();
        int orders = d.orders;
        double rate = d.rate;
        long seed = d.seed;
        String url = blankToNull(env.get(PG_URL));
        String user = blankToNull(env.get(PG_USER));
        String password = blankToNull(env.get(PG_PASSWORD));
        Path dataDir = null;
        Path report = d.report;
        Progress.Mode progress = d.progress;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("options look like --name=value, was \"" + arg + "\"; see --help");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "orders" -> orders = (int) number(name, value);
                case "rate" -> rate = decimal(name, value);
                case "seed" -> seed = number(name, value);
                case "postgres" -> url = value;
                case "pg-user" -> user = value;
                case "pg-password" -> password = value;
                case "data-dir" -> dataDir = Path.of(value);
                case "report" -> report = Path.of(value);
                case "progress" -> progress = Progress.Mode.parse(value);
                default -> throw new IllegalArgumentException("unknown option --" + name + "; see --help");
            }
        }
        return new ShopOptions(orders, rate, seed, url, user, password, dataDir, report, progress);
    }

    /** Whether events and sagas go to PostgreSQL. */
    public boolean usesPostgres() {
        return postgresUrl != null;
    }

    /** Opens the storage these options name. */
    ShopStorage openStorage() {
        return usesPostgres() ? ShopStorage.postgres(postgresUrl, postgresUser, postgresPassword)
                : ShopStorage.embedded(dataDir);
    }

    /** A copy with another report path. */
    public ShopOptions withReport(Path path) {
        return new ShopOptions(orders, rate, seed, postgresUrl, postgresUser, postgresPassword, dataDir, path,
                progress);
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was \"" + value + "\"");
        }
    }

    private static double decimal(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was \"" + value + "\"");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        // Never print the password.
        return "ShopOptions[orders=" + orders + ", rate=" + rate + ", seed=" + seed + ", postgres=" + postgresUrl
                + ", dataDir=" + dataDir + ", report=" + report + ", progress=" + progress + "]";
    }
}
