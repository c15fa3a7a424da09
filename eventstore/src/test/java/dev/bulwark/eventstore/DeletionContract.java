package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.data;
import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.Cart;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Soft deletion (with and without recreation) and truncation. */
public interface DeletionContract extends StoreFixture {

    @Test
    default void aDeletedStreamReadsAsEmptyButItsEventsStayInTheGlobalLog() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1)));

        store().deleteStream("cart-1", ExpectedVersion.exactly(2));

        StreamSlice slice = store().readStream("cart-1");
        assertThat(slice.events()).isEmpty();
        assertThat(slice.deleted()).isTrue();
        assertThat(slice.exists()).isFalse();
        assertThat(slice.expectedVersion()).isEqualTo(ExpectedVersion.NO_STREAM);
        assertThat(store().readAll(EventStore.START, 10, EventFilter.ALL).events()).hasSize(2);
    }

    @Test
    default void appendingToADeletedStreamRecreatesItAndContinuesTheVersions() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1)));
        store().deleteStream("cart-1", ExpectedVersion.ANY);

        AppendResult recreated = store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("c", 1)));

        assertThat(recreated.version()).isEqualTo(3);
        StreamSlice slice = store().readStream("cart-1");
        assertThat(data(slice.events())).containsExactly(new ItemAdded("c", 1));
        assertThat(slice.exists()).isTrue();
        assertThat(slice.expectedVersion()).isEqualTo(ExpectedVersion.exactly(3));
    }

    @Test
    default void aStoreThatDoesNotRecreateRefusesAppendsToADeletedStream() {
        EventStore store = reopen(settings().recreateDeletedStreams(false).build());
        store.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));
        store.deleteStream("cart-1", ExpectedVersion.exactly(1));

        assertThatThrownBy(() -> store.append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("b", 1))))
                .isInstanceOf(StreamDeletedException.class)
                .hasMessage("stream cart-1 was deleted and this store does not recreate deleted streams");
        assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events()).hasSize(1);
    }

    @Test
    default void deletingWithAWrongExpectedVersionConflictsAndKeepsTheStream() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThatThrownBy(() -> store().deleteStream("cart-1", ExpectedVersion.exactly(3)))
                .isInstanceOf(WrongExpectedVersionException.class)
                .hasMessage("stream cart-1: expected version 3, but the stream is at version 1");
        assertThat(store().readStream("cart-1").exists()).isTrue();
    }

    @Test
    default void deletingAStreamThatDoesNotExistWithAnyDoesNothing() {
        store().deleteStream("cart-404", ExpectedVersion.ANY);

        assertThat(store().readStream("cart-404").deleted()).isFalse();
        assertThatThrownBy(() -> store().deleteStream("cart-404", ExpectedVersion.STREAM_EXISTS))
                .isInstanceOf(WrongExpectedVersionException.class);
    }

    @Test
    default void deletingAStreamDropsItsSnapshotSoARecreatedStreamStartsClean() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));
        store().saveSnapshot("cart-1", 1, new Cart(List.of("a"), 1));

        store().deleteStream("cart-1", ExpectedVersion.ANY);
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("b", 1)));

        assertThat(store().loadSnapshot("cart-1")).isEmpty();
    }

    @Test
    default void truncatingRemovesEarlierEventsFromTheStreamAndTheGlobalLog() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1),
                new ItemRemoved("a")));
        store().append("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("z", 1)));

        store().truncateStream("cart-1", 3);

        StreamSlice slice = store().readStream("cart-1");
        assertThat(slice.events()).extracting(RecordedEvent::version).containsExactly(3L);
        assertThat(slice.streamVersion()).isEqualTo(3);
        assertThat(store().readStream("cart-1", ReadDirection.BACKWARD, EventStore.END, 10).events())
                .extracting(RecordedEvent::version).containsExactly(3L);
        assertThat(data(store().readAll(EventStore.START, 10, EventFilter.ALL).events()))
                .containsExactly(new ItemRemoved("a"), new ItemAdded("z", 1));
    }

    @Test
    default void aTruncatedStreamKeepsItsVersionForAppends() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1)));
        store().truncateStream("cart-1", 3);

        AppendResult next = store().append("cart-1", ExpectedVersion.exactly(2), events(new ItemAdded("c", 1)));

        assertThat(next.version()).isEqualTo(3);
        assertThat(store().readStream("cart-1").events()).extracting(RecordedEvent::version).containsExactly(3L);
    }

    @Test
    default void truncatingBeyondTheNextVersionOrAMissingStreamIsRefused() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThatThrownBy(() -> store().truncateStream("cart-1", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("beforeVersion must be between 1 and 2 (stream cart-1 is at version 1), was 5");
        assertThatThrownBy(() -> store().truncateStream("cart-404", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot truncate stream cart-404: it does not exist");
        assertThat(store().readStream("cart-1").events()).hasSize(1);
    }
}
