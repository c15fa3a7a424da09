package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.data;
import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a stream both ways and the global log with filters and checkpoints. */
public interface ReadContract extends StoreFixture {

    private void fiveItems() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1),
                new ItemAdded("c", 1), new ItemAdded("d", 1), new ItemAdded("e", 1)));
    }

    @Test
    default void readingForwardFromAVersionReturnsAtMostTheLimitInOrder() {
        fiveItems();

        StreamSlice slice = store().readStream("cart-1", ReadDirection.FORWARD, 2, 3);

        assertThat(slice.events()).extracting(RecordedEvent::version).containsExactly(2L, 3L, 4L);
        assertThat(slice.endOfStream()).isFalse();
        assertThat(slice.streamVersion()).isEqualTo(5);
        assertThat(slice.expectedVersion()).isEqualTo(ExpectedVersion.exactly(5));
        assertThat(store().readStream("cart-1", ReadDirection.FORWARD, 4, 3).endOfStream()).isTrue();
    }

    @Test
    default void readingBackwardFromTheEndReturnsTheNewestFirst() {
        fiveItems();

        StreamSlice slice = store().readStream("cart-1", ReadDirection.BACKWARD, EventStore.END, 2);

        assertThat(slice.events()).extracting(RecordedEvent::version).containsExactly(5L, 4L);
        assertThat(slice.endOfStream()).isFalse();
        assertThat(store().readStream("cart-1", ReadDirection.BACKWARD, 3, 10).events())
                .extracting(RecordedEvent::version).containsExactly(3L, 2L, 1L);
        assertThat(store().readStream("cart-1", ReadDirection.BACKWARD, 3, 10).endOfStream()).isTrue();
    }

    @Test
    default void readingPastTheEndReturnsNothingButTheStreamsState() {
        fiveItems();

        StreamSlice slice = store().readStream("cart-1", ReadDirection.FORWARD, 9, 10);

        assertThat(slice.events()).isEmpty();
        assertThat(slice.endOfStream()).isTrue();
        assertThat(slice.streamVersion()).isEqualTo(5);
    }

    @Test
    default void aStreamNeverWrittenReadsAsEmptyWithNoStreamExpected() {
        StreamSlice slice = store().readStream("cart-404");

        assertThat(slice.events()).isEmpty();
        assertThat(slice.exists()).isFalse();
        assertThat(slice.streamVersion()).isZero();
        assertThat(slice.expectedVersion()).isEqualTo(ExpectedVersion.NO_STREAM);
    }

    @Test
    default void readingTheGlobalLogPageByPageSeesEveryEventOnceInOrder() {
        for (int i = 0; i < 7; i++) {
            store().append("cart-" + (i % 3), ExpectedVersion.ANY, events(new ItemAdded("item-" + i, i)));
        }

        List<Object> seen = new ArrayList<>();
        long checkpoint = EventStore.START;
        GlobalSlice slice;
        do {
            slice = store().readAll(checkpoint, 3, EventFilter.ALL);
            seen.addAll(data(slice.events()));
            checkpoint = slice.checkpoint();
        } while (!slice.endOfLog());

        assertThat(seen).hasSize(7).extracting(o -> ((ItemAdded) o).sku())
                .containsExactly("item-0", "item-1", "item-2", "item-3", "item-4", "item-5", "item-6");
        assertThat(checkpoint).isGreaterThanOrEqualTo(store().headPosition());
    }

    @Test
    default void aCategoryFilterKeepsOnlyThatCategoryAndMovesTheCheckpointPastSkippedEvents() {
        store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1)));
        store().append("wishlist-1", ExpectedVersion.ANY, events(new ItemAdded("b", 1)));
        store().append("cart-2", ExpectedVersion.ANY, events(new ItemAdded("c", 1)));
        store().append("wishlist-2", ExpectedVersion.ANY, events(new ItemAdded("d", 1)));

        GlobalSlice carts = store().readAll(EventStore.START, 10, EventFilter.categories("cart"));

        assertThat(carts.events()).extracting(RecordedEvent::streamId).containsExactly("cart-1", "cart-2");
        assertThat(carts.endOfLog()).isTrue();
        assertThat(carts.checkpoint()).isGreaterThanOrEqualTo(store().headPosition());
        assertThat(store().readAll(carts.checkpoint(), 10, EventFilter.categories("cart")).events()).isEmpty();
    }

    @Test
    default void anEventTypeFilterKeepsOnlyThoseTypes() {
        store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1), new ItemRemoved("a")));
        store().append("wishlist-1", ExpectedVersion.ANY, events(new ItemRemoved("b")));

        GlobalSlice removals = store().readAll(EventStore.START, 10, EventFilter.eventTypes("item-removed"));
        GlobalSlice cartRemovals = store().readAll(EventStore.START, 10,
                EventFilter.categories("cart").andEventTypes("item-removed"));

        assertThat(data(removals.events())).containsExactly(new ItemRemoved("a"), new ItemRemoved("b"));
        assertThat(data(cartRemovals.events())).containsExactly(new ItemRemoved("a"));
    }

    @Test
    default void aFullPageOfAFilteredReadStopsItsCheckpointAtTheLastEventReturned() {
        store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1)));
        store().append("wishlist-1", ExpectedVersion.ANY, events(new ItemAdded("b", 1)));
        AppendResult second = store().append("cart-2", ExpectedVersion.ANY, events(new ItemAdded("c", 1)));
        store().append("cart-3", ExpectedVersion.ANY, events(new ItemAdded("d", 1)));

        GlobalSlice page = store().readAll(EventStore.START, 2, EventFilter.categories("cart"));

        assertThat(page.checkpoint()).isEqualTo(second.position());
        assertThat(page.endOfLog()).isFalse();
    }

    @Test
    default void theHeadPositionIsThatOfTheLastEvent() {
        assertThat(store().headPosition()).isEqualTo(EventStore.START);

        store().append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1)));
        AppendResult last = store().append("cart-2", ExpectedVersion.ANY, events(new ItemAdded("b", 1)));

        assertThat(store().headPosition()).isEqualTo(last.position());
    }
}
