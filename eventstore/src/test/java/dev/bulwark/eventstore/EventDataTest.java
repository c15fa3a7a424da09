package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventDataTest {

    @Test
    void eventIdsAreVersion7UuidsOrderedByTheirMillisecond() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EventData.of(new TestEvents.ItemRemoved("a")).eventId());
        }

        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).extracting(id -> id.getMostSignificantBits() >>> 16).isSorted();
        long now = System.currentTimeMillis();
        assertThat(ids.get(0).getMostSignificantBits() >>> 16).isBetween(now - 60_000, now);
    }
}
