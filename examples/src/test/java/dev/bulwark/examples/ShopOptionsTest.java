package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopOptionsTest {

    @Test
    void without_arguments_the_defaults_apply_and_storage_is_embedded() {
        ShopOptions options = ShopOptions.parse(List.of(), Map.of());

        assertThat(options.orders()).isEqualTo(300);
        assertThat(options.rate()).isEqualTo(25);
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.usesPostgres()).isFalse();
        assertThat(options.report().getFileName()).isEqualTo(Path.of("bulwark-shop-report.html"));
    }

    @Test
    void arguments_override_the_defaults() {
        ShopOptions options = ShopOptions.parse(List.of("--orders=40", "--rate=12.5", "--seed=7",
                "--data-dir=/tmp/journal", "--report=out.html", "--progress=LINES"), Map.of());

        assertThat(options).isEqualTo(new ShopOptions(40, 12.5, 7, null, null, null, Path.of("/tmp/journal"),
                Path.of("out.html"), Progress.Mode.LINES));
    }

    @Test
    void the_environment_variable_switches_to_postgres_and_an_argument_beats_it() {
        Map<String, String> env = Map.of("BULWARK_PG_URL", "jdbc:postgresql://db/shop", "BULWARK_PG_USER", "shop",
                "BULWARK_PG_PASSWORD", "secret");

        ShopOptions fromEnv = ShopOptions.parse(List.of(), env);
        ShopOptions fromArgs = ShopOptions.parse(List.of("--postgres=jdbc:postgresql://other/x"), env);

        assertThat(fromEnv.usesPostgres()).isTrue();
        assertThat(fromEnv.postgresUser()).isEqualTo("shop");
        assertThat(fromEnv.toString()).doesNotContain("secret");
        assertThat(fromArgs.postgresUrl()).isEqualTo("jdbc:postgresql://other/x");
    }

    @Test
    void bad_arguments_are_named_with_their_values() {
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--orders=3"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("orders must be in [4, 100000], was 3");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--rate=fast"), Map.of()))
                .hasMessage("rate must be a number, was \"fast\"");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--colour=red"), Map.of()))
                .hasMessage("unknown option --colour; see --help");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("orders"), Map.of()))
                .hasMessage("options look like --name=value, was \"orders\"; see --help");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--progress=fancy"), Map.of()))
                .hasMessage("progress must be one of auto, bar, lines, off, was \"fancy\"");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--postgres=postgres://db"), Map.of()))
                .hasMessage("postgres must be a JDBC URL starting with jdbc:postgresql:, was postgres://db");
        assertThatThrownBy(() -> ShopOptions.parse(List.of("--postgres=jdbc:postgresql://db/x", "--data-dir=d"),
                Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("--data-dir is for the embedded journal");
    }

    @Test
    void the_command_line_answers_help_and_bad_arguments_with_their_exit_codes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(ShopMain.run(List.of("--help"), outStream, errStream, Map.of())).isEqualTo(ShopMain.CONSISTENT);
        assertThat(ShopMain.run(List.of("--orders=x"), outStream, errStream, Map.of()))
                .isEqualTo(ShopMain.BAD_ARGUMENTS);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: java -jar examples/target/shop.jar");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("shop: orders must be a whole number, was \"x\"");
    }
}
