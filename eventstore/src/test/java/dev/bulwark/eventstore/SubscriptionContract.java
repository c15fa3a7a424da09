package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.eventstore.TestEvents.Counted;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscriptions catch up, go live, deliver each event once in order, bound their memory, and stop on close. */
public interface SubscriptionContract extends StoreFixture {

    Duration PATIENCE = Duration.ofSeconds(20);

    private void addItems(String streamId, int from, int count) {
        for (int i = from; i < from + count; i++) {
            store().append(streamId, ExpectedVersion.ANY, events(new ItemAdded("item-" + i, i)));
        }
    }

    private static List<Integer> quantities(List<RecordedEvent> events) {
        return events.stream().map(e -> e.dataAs(ItemAdded.class).quantity()).toList();
    }

    @Test
    default void aSubscriptionCatchesUpThenFollowsNewEventsInOrderExactlyOnce() {
        addItems("cart-1", 0, 5);
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store().subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor())) {
            await().atMost(PATIENCE).until(() -> seen.size() == 5 && subscription.isLive());
            addItems("cart-2", 5, 3);
            addItems("cart-1", 8, 2);
            // The handler records an event just before the subscription moves its checkpoint past it.
            await().atMost(PATIENCE)
                    .until(() -> seen.size() >= 10 && subscription.position() >= seen.get(9).position());

            assertThat(quantities(seen)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            long checkpoint = subscription.position();
            AppendResult later = store().append("cart-3", ExpectedVersion.ANY, events(new ItemAdded("late", 10)));
            assertThat(later.position()).as("a later event lands after the checkpoint").isGreaterThan(checkpoint);
        }
    }

    @Test
    default void aSubscriptionResumesAfterItsCheckpointWithoutRedelivering() {
        addItems("cart-1", 0, 4);
        long checkpoint = store().readAll(EventStore.START, 2, EventFilter.ALL).checkpoint();
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store().subscribeToAll(checkpoint, EventFilter.ALL, seen::add, executor())) {
            await().atMost(PATIENCE).until(subscription::isLive);
            assertThat(quantities(seen)).containsExactly(2, 3);
        }
    }

    @Test
    default void aStreamSubscriptionDeliversOnlyThatStreamAfterItsVersion() {
        addItems("cart-1", 0, 3);
        addItems("cart-2", 3, 2);
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store().subscribeToStream("cart-1", 1, seen::add, executor())) {
            await().atMost(PATIENCE).until(() -> seen.size() == 2 && subscription.isLive());
            addItems("cart-2", 10, 1);
            addItems("cart-1", 11, 1);
            await().atMost(PATIENCE).until(() -> seen.size() >= 3 && subscription.position() == 4);

            assertThat(quantities(seen)).containsExactly(1, 2, 11);
        }
    }

    @Test
    default void aFilteredSubscriptionSeesOnlyItsCategoryAndMovesPastTheRest() {
        addItems("cart-1", 0, 1);
        addItems("wishlist-1", 1, 3);
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store().subscribeToAll(EventStore.START, EventFilter.categories("cart"),
                seen::add, executor())) {
            await().atMost(PATIENCE).until(subscription::isLive);
            assertThat(subscription.position()).isGreaterThanOrEqualTo(store().headPosition());
            addItems("wishlist-1", 4, 1);
            addItems("cart-1", 5, 1);
            await().atMost(PATIENCE).until(() -> seen.size() >= 2);

            assertThat(quantities(seen)).containsExactly(0, 5);
        }
    }

    @Test
    default void liveEventsArriveBySignalNotByTheSafetyPoll() {
        EventStore store = reopen(settings().safetyPollInterval(Duration.ofHours(1)).build());
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store.subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor())) {
            await().atMost(PATIENCE).until(subscription::isLive);
            store.append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1)));

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        }
    }

    @Test
    default void aSlowHandlerHoldsBackReadingInsteadOfFillingMemory() throws Exception {
        EventStoreSettings batchesOfTen = settings().subscriptionBatchSize(10).build();
        EventStore writer = reopen(batchesOfTen);
        for (int i = 0; i < 20; i++) {
            List<EventData> batch = new java.util.ArrayList<>();
            for (int j = 0; j < 10; j++) {
                batch.add(EventData.of(new Counted(i * 10 + j)));
            }
            writer.append("counter-1", ExpectedVersion.ANY, batch);
        }
        // A second store instance must read the events back from storage, so Jackson builds each one it reads.
        EventStore reader = reopen(settings().subscriptionBatchSize(10).build());
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        Counted.CONSTRUCTED.set(0);

        try (Subscription subscription = reader.subscribeToAll(EventStore.START, EventFilter.ALL, event -> {
            inHandler.countDown();
            release.await();
            seen.add(event);
        }, executor())) {
            assertThat(inHandler.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(Counted.CONSTRUCTED.get()).as("events read while the handler holds the first")
                    .isLessThanOrEqualTo(10);

            release.countDown();
            await().atMost(PATIENCE).until(() -> seen.size() == 200);
            assertThat(seen).extracting(e -> e.dataAs(Counted.class).n()).isSorted();
        }
    }

    @Test
    default void closingStopsDeliveryAndCompletesTheTermination() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = store().subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor());
        await().atMost(PATIENCE).until(subscription::isLive);

        subscription.close();
        addItems("cart-1", 0, 3);

        assertThat(subscription.termination().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
        assertThat(subscription.isLive()).isFalse();
        assertThat(seen).isEmpty();
    }

    @Test
    default void aFailingHandlerStopsTheSubscriptionAtTheLastEventItHandled() {
        addItems("cart-1", 0, 5);
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("projection broke");

        Subscription subscription = store().subscribeToAll(EventStore.START, EventFilter.ALL, event -> {
            if (event.version() == 3) {
                throw boom;
            }
            seen.add(event);
        }, executor());

        assertThatThrownBy(() -> subscription.termination().toCompletableFuture().get(PATIENCE.toSeconds(),
                TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(quantities(seen)).containsExactly(0, 1);
        assertThat(subscription.position()).isEqualTo(seen.get(1).position());
        subscription.close();
    }

    @Test
    default void closingTheStoreClosesItsSubscriptions() throws Exception {
        EventStore store = reopen(settings().build());
        Subscription subscription = store.subscribeToAll(EventStore.START, EventFilter.ALL, event -> { }, executor());
        await().atMost(PATIENCE).until(subscription::isLive);

        store.close();

        assertThat(subscription.termination().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
    }
}
