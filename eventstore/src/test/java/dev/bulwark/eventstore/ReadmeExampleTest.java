package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event store example of README.md, kept compiling and true. */
class ReadmeExampleTest {
    record OrderPlaced(String orderId, int quantity) {}

    @TempDir
    Path directory;

    @Test
    void theReadmeJournalStoresAndReadsEvents() {
        // --- README: event store ---
        EventTypeRegistry registry = EventTypeRegistry.builder()
                .register("order-placed", OrderPlaced.class) // stable type names: an allow-list
                .build();
        EventStoreSettings settings = EventStoreSettings.defaults(EventSerializer.create(registry));
        try (EventStore store = JournalEventStore.open(directory, JournalOptions.builder(settings).build())) {
            AppendResult appended = store.append("order-42", ExpectedVersion.NO_STREAM,
                    List.of(EventData.of(new OrderPlaced("42", 3))));
            StreamSlice order = store.readStream("order-42");
            // --- end ---

            assertThat(appended.version()).isEqualTo(1);
            assertThat(order.events()).extracting(RecordedEvent::data).containsExactly(new OrderPlaced("42", 3));
        }
    }
}
