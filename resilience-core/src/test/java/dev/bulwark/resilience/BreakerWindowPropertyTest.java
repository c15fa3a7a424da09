package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The windows against a simple reference model: a list of every outcome, filtered to the last N calls or to
 * the seconds still in the window, over random sequences of outcomes and clock steps (including idle gaps of
 * whole laps of a time window, where a bucket's lap number can match by chance).
 */
class BreakerWindowPropertyTest {

    sealed interface Step permits Outcome, Advance, AdvanceLaps {}

    record Outcome(boolean failed, boolean slow) implements Step {}

    record Advance(long millis) implements Step {}

    /** An idle gap of whole windows (plus a remainder), to provoke lap aliasing in the time window. */
    record AdvanceLaps(int laps, long extraMillis) implements Step {}

    record Recorded(long second, boolean failed, boolean slow) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        // mostly fast successes, as from a healthy dependency, so that full windows of them occur
        Arbitrary<Step> outcome = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(new Outcome(false, false))),
                Tuple.of(4, Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as(Outcome::new)));
        Arbitrary<Step> advance = Arbitraries.longs().between(0, 3_000).map(Advance::new);
        Arbitrary<Step> laps = Combinators.combine(Arbitraries.integers().between(1, 40),
                Arbitraries.longs().between(0, 2_000)).as(AdvanceLaps::new);
        return Arbitraries.frequencyOf(Tuple.of(12, outcome), Tuple.of(4, advance), Tuple.of(1, laps))
                .list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<Double> thresholds() {
        return Arbitraries.of(1.0, 25.0, 33.3, 50.0, 66.7, 99.9, 100.0);
    }

    @Property(tries = 400)
    void aCountWindowHoldsExactlyTheLastNOutcomes(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 20) int size, @ForAll @IntRange(min = 1, max = 20) int minimum,
            @ForAll("thresholds") double failureRate, @ForAll("thresholds") double slowRate) {
        BreakerWindow.Thresholds thresholds = new BreakerWindow.Thresholds(Math.min(minimum, size), failureRate, slowRate);
        BreakerCountWindow window = new BreakerCountWindow(size, thresholds);
        Deque<Outcome> model = new ArrayDeque<>();

        for (Step step : steps) {
            if (!(step instanceof Outcome outcome)) {
                continue;
            }
            Outcome evicted = model.size() == size ? model.removeFirst() : null;
            model.addLast(outcome);
            int verdict = window.record(outcome.failed(), outcome.slow(), 0);

            BreakerWindow.Counts expected = countsOf(model, thresholds);
            assertThat(window.counts(0)).isEqualTo(expected);
            assertThat(verdict).isEqualTo(outcome.equals(evicted) ? BreakerWindow.UNCHANGED : verdictOf(expected));
        }
    }

    @Property(tries = 400)
    void aTimeWindowHoldsExactlyTheOutcomesOfItsLastSeconds(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 12) int seconds, @ForAll @IntRange(min = 1, max = 20) int minimum,
            @ForAll("thresholds") double failureRate, @ForAll("thresholds") double slowRate,
            @ForAll @IntRange(min = 0, max = 999) int startMillis) {
        BreakerWindow.Thresholds thresholds = new BreakerWindow.Thresholds(minimum, failureRate, slowRate);
        ManualClock clock = new ManualClock();
        clock.advance(java.time.Duration.ofMillis(startMillis));
        long origin = clock.nanoTime();
        BreakerTimeWindow window = new BreakerTimeWindow(seconds, origin, thresholds);
        List<Recorded> model = new ArrayList<>();

        for (Step step : steps) {
            if (step instanceof Advance advance) {
                clock.advance(java.time.Duration.ofMillis(advance.millis()));
            } else if (step instanceof AdvanceLaps laps) {
                clock.advance(java.time.Duration.ofSeconds((long) laps.laps() * seconds).plusMillis(laps.extraMillis()));
            } else {
                Outcome outcome = (Outcome) step;
                long now = clock.nanoTime();
                long second = (now - origin) / 1_000_000_000L;
                model.add(new Recorded(second, outcome.failed(), outcome.slow()));
                int verdict = window.record(outcome.failed(), outcome.slow(), now);

                BreakerWindow.Counts expected = countsAt(model, second, seconds, thresholds);
                assertThat(verdict).isEqualTo(verdictOf(expected));
            }
            long now = clock.nanoTime();
            long current = (now - origin) / 1_000_000_000L;
            assertThat(window.counts(now)).isEqualTo(countsAt(model, current, seconds, thresholds));
        }
    }

    private static BreakerWindow.Counts countsOf(Iterable<Outcome> outcomes, BreakerWindow.Thresholds thresholds) {
        long calls = 0;
        long failed = 0;
        long slow = 0;
        for (Outcome outcome : outcomes) {
            calls++;
            failed += outcome.failed() ? 1 : 0;
            slow += outcome.slow() ? 1 : 0;
        }
        return new BreakerWindow.Counts(calls, failed, slow, thresholds);
    }

    private static BreakerWindow.Counts countsAt(List<Recorded> recorded, long currentSecond, int seconds,
            BreakerWindow.Thresholds thresholds) {
        List<Outcome> inWindow = new ArrayList<>();
        for (Recorded r : recorded) {
            if (r.second() > currentSecond - seconds) {
                inWindow.add(new Outcome(r.failed(), r.slow()));
            }
        }
        return countsOf(inWindow, thresholds);
    }

    /** The reference verdict, computed independently of {@link BreakerWindow.Thresholds#evaluate}. */
    private static int verdictOf(BreakerWindow.Counts counts) {
        BreakerWindow.Thresholds t = counts.thresholds();
        if (counts.calls() < t.minimumCalls()) {
            return BreakerWindow.NOT_ENOUGH_CALLS;
        }
        double failurePercent = 100.0 * counts.failedCalls() / counts.calls();
        double slowPercent = 100.0 * counts.slowCalls() / counts.calls();
        boolean above = failurePercent >= t.failureRate() - 1e-9 || slowPercent >= t.slowCallRate() - 1e-9;
        return above ? BreakerWindow.ABOVE_THRESHOLDS : BreakerWindow.BELOW_THRESHOLDS;
    }
}
