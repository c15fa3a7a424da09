package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.Cart;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Saving and loading the latest snapshot of a stream. */
public interface SnapshotContract extends StoreFixture {

    @Test
    default void theSavedSnapshotLoadsWithItsVersionSchemaVersionAndTimestamp() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1)));

        store().saveSnapshot("cart-1", 2, new Cart(List.of("a", "b"), 2));

        Snapshot snapshot = store().loadSnapshot("cart-1").orElseThrow();
        assertThat(snapshot.streamId()).isEqualTo("cart-1");
        assertThat(snapshot.version()).isEqualTo(2);
        assertThat(snapshot.stateAs(Cart.class)).isEqualTo(new Cart(List.of("a", "b"), 2));
        assertThat(snapshot.type()).isEqualTo("cart");
        assertThat(snapshot.schemaVersion()).isEqualTo(2);
        assertThat(snapshot.timestamp()).isEqualTo(Instant.ofEpochMilli(clock().currentTimeMillis()));
    }

    @Test
    default void aNewerSnapshotReplacesTheOldOneButAnOlderOneDoesNot() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1), new ItemAdded("b", 1),
                new ItemAdded("c", 1)));
        store().saveSnapshot("cart-1", 1, new Cart(List.of("a"), 1));
        store().saveSnapshot("cart-1", 3, new Cart(List.of("a", "b", "c"), 3));

        store().saveSnapshot("cart-1", 2, new Cart(List.of("a", "b"), 2));

        assertThat(store().loadSnapshot("cart-1").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    default void aStreamWithoutSnapshotLoadsNone() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThat(store().loadSnapshot("cart-1")).isEmpty();
        assertThat(store().loadSnapshot("cart-404")).isEmpty();
    }

    @Test
    default void aSnapshotBeyondTheStreamsVersionOrOfAMissingStreamIsRefused() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThatThrownBy(() -> store().saveSnapshot("cart-1", 2, new Cart(List.of("a"), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version must be between 1 and 1 (stream cart-1 is at version 1), was 2");
        assertThatThrownBy(() -> store().saveSnapshot("cart-404", 1, new Cart(List.of(), 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot snapshot stream cart-404: it does not exist");
        assertThat(store().loadSnapshot("cart-1")).isEmpty();
    }

    @Test
    default void aSnapshotOfAnUnregisteredClassIsRefused() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));
        record Unregistered(int x) {}

        assertThatThrownBy(() -> store().saveSnapshot("cart-1", 1, new Unregistered(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not registered in the EventTypeRegistry");
    }
}
