package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.data;
import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Appending: expected versions, idempotent retries, multi-stream atomicity, what an event carries. */
public interface AppendContract extends StoreFixture {

    @Test
    default void appendingToANewStreamStartsAtVersionOneAndReturnsTheLastPosition() {
        AppendResult result = store().append("cart-1", ExpectedVersion.NO_STREAM,
                events(new ItemAdded("apple", 1), new ItemAdded("pear", 2)));

        assertThat(result.streamId()).isEqualTo("cart-1");
        assertThat(result.version()).isEqualTo(2);
        List<RecordedEvent> stored = store().readStream("cart-1").events();
        assertThat(stored).extracting(RecordedEvent::version).containsExactly(1L, 2L);
        assertThat(result.position()).isEqualTo(stored.get(1).position());
        assertThat(stored.get(0).position()).isLessThan(stored.get(1).position());
    }

    @Test
    default void aStoredEventCarriesItsIdTypeDataMetadataAndTimestamp() {
        UUID id = UUID.randomUUID();
        EventMetadata metadata = EventMetadata.of("request-7", "command-3").withHeader("user", "alice");
        store().append("cart-1", ExpectedVersion.ANY,
                List.of(new EventData(id, new ItemAdded("apple", 3), metadata)));

        RecordedEvent event = store().readStream("cart-1").events().get(0);

        assertThat(event.eventId()).isEqualTo(id);
        assertThat(event.type()).isEqualTo("item-added");
        assertThat(event.schemaVersion()).isEqualTo(2);
        assertThat(event.data()).isEqualTo(new ItemAdded("apple", 3));
        assertThat(event.metadata()).isEqualTo(metadata);
        assertThat(event.timestamp()).isEqualTo(Instant.ofEpochMilli(clock().currentTimeMillis()));
    }

    @Test
    default void anExactExpectedVersionContinuesTheStream() {
        AppendResult first = store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));

        AppendResult second = store().append("cart-1", first.nextExpectedVersion(), events(new ItemRemoved("apple")));

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.position()).isGreaterThan(first.position());
    }

    @Test
    default void noStreamOnAnExistingStreamConflictsAndStoresNothing() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));

        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("pear", 1))))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo("cart-1");
                    assertThat(e.expectedVersion()).isEqualTo(ExpectedVersion.NO_STREAM);
                    assertThat(e.actualVersion()).isEqualTo(1);
                })
                .hasMessage("stream cart-1: expected NO_STREAM, but the stream is at version 1");
        assertThat(store().readStream("cart-1").events()).hasSize(1);
    }

    @Test
    default void aWrongExactVersionConflictsNamingTheExpectedAndActualVersion() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1), new ItemAdded("fig", 1)));

        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.exactly(1), events(new ItemRemoved("fig"))))
                .isInstanceOf(WrongExpectedVersionException.class)
                .hasMessage("stream cart-1: expected version 1, but the stream is at version 2");
        assertThat(store().readStream("cart-1").streamVersion()).isEqualTo(2);
    }

    @Test
    default void streamExistsOnAMissingStreamConflicts() {
        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.STREAM_EXISTS, events(new ItemAdded("a", 1))))
                .isInstanceOf(WrongExpectedVersionException.class)
                .hasMessage("stream cart-1: expected STREAM_EXISTS, but the stream does not exist");
        assertThat(store().headPosition()).isEqualTo(EventStore.START);
    }

    @Test
    default void anyAppendsWhetherTheStreamExistsOrNot() {
        store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("apple", 1)));
        AppendResult second = store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("pear", 1)));

        assertThat(second.version()).isEqualTo(2);
    }

    @Test
    default void reAppendingTheSameEventsAfterAnExactVersionReturnsTheFirstResultAndStoresNothingTwice() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));
        List<EventData> batch = events(new ItemAdded("pear", 1), new ItemRemoved("apple"));
        AppendResult first = store().append("cart-1", ExpectedVersion.exactly(1), batch);

        AppendResult retry = store().append("cart-1", ExpectedVersion.exactly(1), batch);

        assertThat(retry).isEqualTo(first);
        assertThat(store().readStream("cart-1").events()).hasSize(3);
        assertThat(store().headPosition()).isEqualTo(first.position());
    }

    @Test
    default void reAppendingTheSameEventsWithNoStreamOrAnyIsHarmless() {
        List<EventData> created = events(new ItemAdded("apple", 1));
        AppendResult first = store().append("cart-1", ExpectedVersion.NO_STREAM, created);
        List<EventData> more = events(new ItemAdded("pear", 1));
        AppendResult second = store().append("cart-1", ExpectedVersion.ANY, more);

        assertThat(store().append("cart-1", ExpectedVersion.NO_STREAM, created)).isEqualTo(first);
        assertThat(store().append("cart-1", ExpectedVersion.ANY, more)).isEqualTo(second);
        assertThat(store().readStream("cart-1").events()).hasSize(2);
    }

    @Test
    default void reAppendingOnlyPartOfAStoredBatchIsAConflictNotARetry() {
        List<EventData> batch = events(new ItemAdded("apple", 1), new ItemAdded("pear", 1));
        store().append("cart-1", ExpectedVersion.NO_STREAM, batch);

        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.NO_STREAM,
                List.of(batch.get(0), EventData.of(new ItemAdded("fig", 1)))))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store().readStream("cart-1").events()).hasSize(2);
    }

    @Test
    default void anEventIdAlreadyStoredElsewhereIsRefused() {
        EventData event = EventData.of(new ItemAdded("apple", 1));
        store().append("cart-1", ExpectedVersion.NO_STREAM, List.of(event));

        assertThatThrownBy(() -> store().append("cart-2", ExpectedVersion.ANY, List.of(event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("event id " + event.eventId() + " (appended to stream cart-2) is already "
                        + "stored in stream cart-1 at version 1");
        assertThat(store().readStream("cart-2").exists()).isFalse();
    }

    @Test
    default void aMultiStreamAppendStoresEveryStreamAndReturnsResultsInOrder() {
        store().append("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));

        List<AppendResult> results = store().appendAll(List.of(
                new StreamAppend("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("pear", 1))),
                new StreamAppend("cart-2", ExpectedVersion.exactly(1), events(new ItemRemoved("apple")))));

        assertThat(results).extracting(AppendResult::streamId).containsExactly("cart-1", "cart-2");
        assertThat(results).extracting(AppendResult::version).containsExactly(1L, 2L);
        assertThat(data(store().readStream("cart-2").events()))
                .containsExactly(new ItemAdded("apple", 1), new ItemRemoved("apple"));
    }

    @Test
    default void aMultiStreamAppendWithOneFailedCheckStoresNothing() {
        store().append("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));
        long head = store().headPosition();

        assertThatThrownBy(() -> store().appendAll(List.of(
                new StreamAppend("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("pear", 1))),
                new StreamAppend("cart-2", ExpectedVersion.exactly(5), events(new ItemRemoved("apple"))))))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.streamId()).isEqualTo("cart-2"));
        assertThat(store().readStream("cart-1").exists()).isFalse();
        assertThat(store().headPosition()).isEqualTo(head);
    }

    @Test
    default void aRetriedMultiStreamAppendReturnsTheFirstResults() {
        List<StreamAppend> appends = List.of(
                new StreamAppend("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("pear", 1))),
                new StreamAppend("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("fig", 1))));
        List<AppendResult> first = store().appendAll(appends);

        assertThat(store().appendAll(appends)).isEqualTo(first);
        assertThat(store().readAll(EventStore.START, 10, EventFilter.ALL).events()).hasSize(2);
    }

    @Test
    default void positionsFollowTheOrderOfSuccessiveAppends() {
        AppendResult a = store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1)));
        AppendResult b = store().append("cart-2", ExpectedVersion.ANY, events(new ItemAdded("b", 1)));
        AppendResult c = store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("c", 1)));

        assertThat(List.of(a.position(), b.position(), c.position())).isSorted().doesNotHaveDuplicates();
        assertThat(store().readAll(EventStore.START, 10, EventFilter.ALL).events())
                .extracting(RecordedEvent::position).containsExactly(a.position(), b.position(), c.position());
    }
}
