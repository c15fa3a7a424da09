package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.Cart;
import dev.bulwark.eventstore.TestEvents.CartV1;
import dev.bulwark.eventstore.TestEvents.GiftWrapped;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemAddedV1;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution: events and snapshots written by an older application (registry version 1) are upcast when a
 * newer one reads them, and what cannot be read fails clearly, naming the stream, version and type.
 */
public interface UpcastingContract extends StoreFixture {

    private EventStore olderApplication() {
        return reopen(EventStoreSettings.builder(EventSerializer.create(TestEvents.version1Registry()))
                .clock(clock()).build());
    }

    @Test
    default void eventsStoredAtAnOlderSchemaVersionAreUpcastOnRead() {
        olderApplication().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAddedV1("apple")));

        RecordedEvent event = store().readStream("cart-1").events().get(0);

        assertThat(event.data()).isEqualTo(new ItemAdded("apple", 1));
        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(store().readAll(EventStore.START, 10, EventFilter.ALL).events().get(0).data())
                .isEqualTo(new ItemAdded("apple", 1));
    }

    @Test
    default void snapshotsStoredAtAnOlderSchemaVersionAreUpcastOnLoad() {
        EventStore older = olderApplication();
        older.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAddedV1("a"), new ItemAddedV1("b")));
        older.saveSnapshot("cart-1", 2, new CartV1(List.of("a", "b")));

        Snapshot snapshot = store().loadSnapshot("cart-1").orElseThrow();

        assertThat(snapshot.state()).isEqualTo(new Cart(List.of("a", "b"), 2));
        assertThat(snapshot.schemaVersion()).isEqualTo(1);
    }

    @Test
    default void anUnknownStoredTypeFailsNamingTheStreamVersionAndType() {
        olderApplication().append("cart-1", ExpectedVersion.NO_STREAM,
                events(new ItemRemoved("a"), new GiftWrapped("gold")));

        assertThatThrownBy(() -> store().readStream("cart-1"))
                .isInstanceOfSatisfying(UnreadableEventException.class, e -> {
                    assertThat(e.type()).isEqualTo("gift-wrapped");
                    assertThat(e.schemaVersion()).isEqualTo(1);
                })
                .hasMessageStartingWith("cannot read event cart-1@2 (position ")
                .hasMessageEndingWith("of type 'gift-wrapped' (schema version 1): "
                        + "no type of this name is registered in the EventTypeRegistry");
        assertThatThrownBy(() -> store().readAll(EventStore.START, 10, EventFilter.ALL))
                .isInstanceOf(UnreadableEventException.class);
        assertThat(store().readAll(EventStore.START, 10, EventFilter.eventTypes("item-removed")).events()).hasSize(1);
    }

    @Test
    default void aPayloadThatDoesNotFitItsClassFailsInsteadOfBuildingHalfAnObject() {
        EventTypeRegistry mismatched = EventTypeRegistry.builder()
                .register("item-removed", GiftWrapped.class)
                .build();
        reopen(EventStoreSettings.builder(EventSerializer.create(mismatched)).clock(clock()).build())
                .append("cart-1", ExpectedVersion.NO_STREAM, events(new GiftWrapped("gold")));

        assertThatThrownBy(() -> store().readStream("cart-1"))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("cannot read event cart-1@1")
                .hasMessageContaining("of type 'item-removed' (schema version 1): its JSON does not fit "
                        + ItemRemoved.class.getName());
    }

    @Test
    default void anEventNewerThanTheRegisteredSchemaVersionFails() {
        store().append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("apple", 1)));

        EventStore older = olderApplication();

        assertThatThrownBy(() -> older.readStream("cart-1"))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageEndingWith("of type 'item-added' (schema version 2): the registered schema version is 1; "
                        + "it was written by a newer application");
    }
}
