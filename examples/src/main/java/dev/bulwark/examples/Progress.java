package dev.bulwark.examples;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Live counters while the scenario runs: a bar redrawn in place on a terminal, or a line a second otherwise
 * (a log, CI). Runs on one thread of its own, started by {@link #start} and stopped by {@link #close()}.
 */
final class Progress implements AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        /** A bar on a terminal, lines otherwise. */
        AUTO,
        /** A bar redrawn in place five times a second. */
        BAR,
        /** A line a second, when something changed. */
        LINES,
        /** Nothing. */
        OFF;

        /** The mode named by {@code value}, case-insensitively. */
        static Mode parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("progress must be one of auto, bar, lines, off, was \"" + value
                        + "\"");
            }
        }
    }

    private static final int BAR_WIDTH = 12;

    private final PrintStream out;
    private final Supplier<String> line;
    private final boolean bar;
    private final ScheduledExecutorService ticker;
    /** The last line printed in line mode: an unchanged line is not printed again. Progress thread only. */
    private String last;

    private Progress(Mode mode, PrintStream out, Supplier<String> line) {
        this.out = out;
        this.line = line;
        Mode chosen = mode == Mode.AUTO ? (interactive() ? Mode.BAR : Mode.LINES) : mode;
        this.bar = chosen == Mode.BAR;
        if (chosen == Mode.OFF) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "shop-progress"));
        long period = bar ? 200 : 1000;
        ticker.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    }

    /** Shows {@code line} (one line of text, built on the progress thread) as the mode says, until closed. */
    static Progress start(Mode mode, PrintStream out, Supplier<String> line) {
        return new Progress(Objects.requireNonNull(mode, "mode"), Objects.requireNonNull(out, "out"),
                Objects.requireNonNull(line, "line"));
    }

    /** {@code [#######.....]} for {@code done} of {@code total}. */
    static String bar(int done, int total) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** Draws the last state and stops the thread. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdown();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        if (bar) {
            out.println();
        }
        out.flush();
    }

    private void draw() {
        String text = line.get();
        if (bar) {
            out.print("\r" + text + "\u001b[K");
        } else if (!text.equals(last)) {
            out.println(text);
        }
        last = text;
        out.flush();
    }

    /**
     * Whether stdout is a terminal. {@link System#console()} answers on Java 17 to 21; from Java 22 on it returns
     * a console even when output is redirected, and {@code Console.isTerminal()} tells.
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
