package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input fails with a clear exception and stores nothing. */
public interface BadInputContract extends StoreFixture {

    private void assertNothingStored() {
        assertThat(store().headPosition()).isEqualTo(EventStore.START);
        assertThat(store().readAll(EventStore.START, 10, EventFilter.ALL).events()).isEmpty();
    }

    @Test
    default void aNullOrBlankStreamIdIsRefused() {
        assertThatThrownBy(() -> store().append(null, ExpectedVersion.ANY, events(new ItemAdded("a", 1))))
                .isInstanceOf(NullPointerException.class).hasMessage("streamId");
        assertThatThrownBy(() -> store().append("  ", ExpectedVersion.ANY, events(new ItemAdded("a", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("streamId must not be blank, was \"  \"");
        assertThatThrownBy(() -> store().readStream(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("streamId must not be blank, was \"\"");
        assertNothingStored();
    }

    @Test
    default void aStreamIdWithControlCharactersOrTooLongIsRefused() {
        assertThatThrownBy(() -> store().append("cart\u00001", ExpectedVersion.ANY, events(new ItemAdded("a", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("streamId must not contain control characters, was \"cart?1\" (character 4)");
        String tooLong = "c".repeat(StreamAppend.MAX_STREAM_ID_LENGTH + 1);
        assertThatThrownBy(() -> store().append(tooLong, ExpectedVersion.ANY, events(new ItemAdded("a", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("streamId must be at most 200 characters, was 201");
        assertNothingStored();
    }

    @Test
    default void anEmptyBatchIsRefused() {
        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.ANY, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("events must not be empty (stream cart-1)");
        assertThatThrownBy(() -> store().appendAll(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("appends must not be empty");
        assertNothingStored();
    }

    @Test
    default void nullEventsAreRefused() {
        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.ANY, Arrays.asList(EventData.of(
                new ItemAdded("a", 1)), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("events[1] (stream cart-1)");
        assertThatThrownBy(() -> store().append("cart-1", null, events(new ItemAdded("a", 1))))
                .isInstanceOf(NullPointerException.class).hasMessage("expectedVersion");
        assertNothingStored();
    }

    @Test
    default void anEventOverTheSizeLimitIsRefusedAndNothingOfItsAppendIsStored() {
        EventStore store = reopen(settings().maxEventBytes(100).build());

        assertThatThrownBy(() -> store.appendAll(List.of(
                new StreamAppend("cart-1", ExpectedVersion.ANY, events(new ItemAdded("small", 1))),
                new StreamAppend("cart-2", ExpectedVersion.ANY, events(new ItemAdded("x".repeat(200), 1))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("event 0 of stream cart-2 (type 'item-added', id ")
                .hasMessageEndingWith(") is 225 bytes, more than maxEventBytes 100");
        assertNothingStored();
    }

    @Test
    default void anUnregisteredEventClassIsRefusedAndNothingOfItsAppendIsStored() {
        record Unregistered(String x) {}

        assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.ANY,
                events(new ItemAdded("a", 1), new Unregistered("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class " + Unregistered.class.getName() + " is not registered in the EventTypeRegistry; "
                        + "register it with a stable type name");
        assertNothingStored();
    }

    @Test
    default void moreEventsThanAnAppendMayCarryAreRefused() {
        EventStore store = reopen(settings().maxEventsPerAppend(3).build());
        List<EventData> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(EventData.of(new ItemAdded("i" + i, i)));
        }

        assertThatThrownBy(() -> store.append("cart-1", ExpectedVersion.ANY, four))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an append may carry at most maxEventsPerAppend 3 events, this one has 4");
        assertNothingStored();
    }

    @Test
    default void theSameEventIdTwiceInOneAppendIsRefused() {
        EventData event = EventData.of(new ItemAdded("a", 1));

        assertThatThrownBy(() -> store().appendAll(List.of(
                new StreamAppend("cart-1", ExpectedVersion.ANY, List.of(event)),
                new StreamAppend("cart-2", ExpectedVersion.ANY, List.of(event)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event ids must be unique within an append, " + event.eventId() + " appears twice");
        assertThatThrownBy(() -> store().appendAll(List.of(
                new StreamAppend("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1))),
                new StreamAppend("cart-1", ExpectedVersion.ANY, events(new ItemAdded("b", 1))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("appends must name each stream once, cart-1 appears twice");
        assertNothingStored();
    }

    @Test
    default void readArgumentsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> store().readStream("cart-1", ReadDirection.FORWARD, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fromVersion must be >= 1, was 0");
        assertThatThrownBy(() -> store().readStream("cart-1", ReadDirection.FORWARD, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxCount must be >= 1, was 0");
        assertThatThrownBy(() -> store().readAll(-1, 10, EventFilter.ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("afterPosition must be >= 0, was -1");
        assertThatThrownBy(() -> store().truncateStream("cart-1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beforeVersion must be >= 1, was 0");
    }

    @Test
    default void aClosedStoreRefusesEveryCall() {
        EventStore store = reopen(settings().build());
        store.close();

        assertThatThrownBy(() -> store.append("cart-1", ExpectedVersion.ANY, events(new ItemAdded("a", 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("event store is closed");
        assertThatThrownBy(() -> store.readStream("cart-1")).isInstanceOf(IllegalStateException.class);
    }
}
