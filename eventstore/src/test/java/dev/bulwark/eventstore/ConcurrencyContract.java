package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Racing writers: optimistic concurrency holds under real contention. */
public interface ConcurrencyContract extends StoreFixture {

    int RACERS = 8;

    @RepeatedTest(3)
    default void exactlyOneOfManyAppendersWithTheSameExpectedVersionWins() throws Exception {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("seed", 1)));

        List<Object> outcomes = race(racer -> store().append("cart-1", ExpectedVersion.exactly(1),
                events(new ItemAdded("racer-" + racer, 1))));

        assertThat(outcomes).filteredOn(AppendResult.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(WrongExpectedVersionException.class::isInstance).hasSize(RACERS - 1);
        assertThat(store().readStream("cart-1").events()).hasSize(2);
    }

    @RepeatedTest(3)
    default void exactlyOneOfManyCreatorsOfTheSameStreamWins() throws Exception {
        List<Object> outcomes = race(racer -> store().append("cart-1", ExpectedVersion.NO_STREAM,
                events(new ItemAdded("racer-" + racer, 1))));

        assertThat(outcomes).filteredOn(AppendResult.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(WrongExpectedVersionException.class::isInstance).hasSize(RACERS - 1);
        assertThat(store().readStream("cart-1").events()).hasSize(1);
    }

    @Test
    default void concurrentAnyAppendsAllLandWithConsecutiveVersionsInPositionOrder() throws Exception {
        int appendsPerRacer = 24;
        race(racer -> {
            for (int i = 0; i < appendsPerRacer; i++) {
                store().append(i % 2 == 0 ? "cart-even" : "cart-odd", ExpectedVersion.ANY,
                        events(new ItemAdded(racer + "-" + i, 1), new ItemAdded(racer + "-" + i + "b", 1)));
            }
            return null;
        });

        int total = RACERS * appendsPerRacer * 2;
        List<RecordedEvent> all = store().readAll(EventStore.START, total + 1, EventFilter.ALL).events();
        assertThat(all).hasSize(total);
        assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
        for (String stream : List.of("cart-even", "cart-odd")) {
            assertThat(all.stream().filter(e -> e.streamId().equals(stream)).map(RecordedEvent::version).toList())
                    .as("versions of %s in global order", stream)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, total / 2).boxed().toList());
        }
    }

    /** Runs {@link #RACERS} tasks released at once; each outcome is its result or the exception it threw. */
    private List<Object> race(RacerTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int racer = 0; racer < RACERS; racer++) {
            int id = racer;
            Callable<Object> call = () -> {
                start.await();
                try {
                    return task.run(id);
                } catch (EventStoreException e) {
                    return e;
                }
            };
            futures.add(executor().submit(call));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** One racer's work. */
    @FunctionalInterface
    interface RacerTask {
        Object run(int racer) throws Exception;
    }
}
