package dev.bulwark.eventstore.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The event id table finds every id it holds, across growth, and nothing else, confirming through the log. */
class EventIdTableTest {

    @Test
    void everyIdIsFoundAtItsPositionAndUnknownIdsAreNot() {
        EventIdTable table = new EventIdTable();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = i % 2 == 0 ? UUID.randomUUID() : new UUID(0, i);
            ids.add(id);
            table.put(id, i + 1L);
        }

        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            assertThat(table.find(id, position -> ids.get((int) position - 1).equals(id))).isEqualTo(i + 1L);
        }
        for (int i = 0; i < 1000; i++) {
            UUID unknown = UUID.randomUUID();
            assertThat(table.find(unknown, position -> ids.get((int) position - 1).equals(unknown))).isEqualTo(-1);
        }
    }

    @Test
    void aSecondEntryForTheSameIdIsFoundWhenTheFirstIsRejected() {
        EventIdTable table = new EventIdTable();
        UUID id = UUID.randomUUID();
        table.put(id, 1);
        table.put(id, 7);

        assertThat(table.find(id, position -> position != 1)).isEqualTo(7);
    }

    @Test
    void aPositionThatDoesNotFitItsEntryIsRefused() {
        EventIdTable table = new EventIdTable();

        assertThatThrownBy(() -> table.put(UUID.randomUUID(), 1L << 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("position must be in [1, 2^32), was 4294967296");
    }
}
