package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.Cart;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import dev.bulwark.resilience.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the journal backend adds to the conformance suite: its state survives the process, one opener at a time. */
class JournalEventStoreTest {

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();

    private JournalOptions.Builder options() {
        return JournalOptions.builder(EventStoreSettings.builder(EventSerializer.create(TestEvents.registry()))
                .clock(clock).build());
    }

    private JournalEventStore open() {
        return JournalEventStore.open(directory, options().segmentBytes(JournalOptions.MIN_SEGMENT_BYTES).build());
    }

    @Test
    void everythingStoredIsThereAfterReopening() {
        List<AppendResult> appended;
        try (JournalEventStore store = open()) {
            appended = store.appendAll(List.of(
                    new StreamAppend("cart-1", ExpectedVersion.NO_STREAM, StoreFixture.events(new ItemAdded("a", 1),
                            new ItemAdded("b", 2), new ItemRemoved("a"))),
                    new StreamAppend("cart-2", ExpectedVersion.NO_STREAM, StoreFixture.events(new ItemAdded("z", 9)))));
            store.saveSnapshot("cart-1", 3, new Cart(List.of("b"), 1));
            store.truncateStream("cart-1", 3);
            store.append("cart-3", ExpectedVersion.NO_STREAM, StoreFixture.events(new ItemAdded("gone", 1)));
            store.deleteStream("cart-3", ExpectedVersion.exactly(1));
        }

        try (JournalEventStore store = open()) {
            assertThat(StoreFixture.data(store.readStream("cart-1").events())).containsExactly(new ItemRemoved("a"));
            assertThat(store.readStream("cart-1").streamVersion()).isEqualTo(3);
            assertThat(store.loadSnapshot("cart-1").orElseThrow().state()).isEqualTo(new Cart(List.of("b"), 1));
            assertThat(store.readStream("cart-3").deleted()).isTrue();
            assertThat(StoreFixture.data(store.readAll(EventStore.START, 10, EventFilter.ALL).events()))
                    .containsExactly(new ItemRemoved("a"), new ItemAdded("z", 9), new ItemAdded("gone", 1));
            assertThat(store.headPosition()).isEqualTo(appended.get(1).position() + 1);
            assertThat(store.append("cart-2", ExpectedVersion.exactly(1), StoreFixture.events(new ItemRemoved("z")))
                    .version()).isEqualTo(2);
        }
    }

    @Test
    void theHeadPositionSkipsEventsTruncatedAwayAtTheEndOfTheLog() {
        try (JournalEventStore store = open()) {
            store.append("cart-1", ExpectedVersion.NO_STREAM, StoreFixture.events(new ItemAdded("a", 1)));
            AppendResult last = store.append("cart-2", ExpectedVersion.NO_STREAM,
                    StoreFixture.events(new ItemAdded("z", 1)));
            store.append("cart-1", ExpectedVersion.exactly(1), StoreFixture.events(new ItemAdded("b", 1),
                    new ItemAdded("c", 1)));

            store.truncateStream("cart-1", 4);

            assertThat(store.headPosition()).isEqualTo(last.position());
        }
    }

    @Test
    void aRetryAfterReopeningIsRecognisedFromTheStoredIds() {
        List<EventData> batch = StoreFixture.events(new ItemAdded("a", 1), new ItemAdded("b", 1));
        AppendResult first;
        try (JournalEventStore store = open()) {
            first = store.append("cart-1", ExpectedVersion.NO_STREAM, batch);
        }

        try (JournalEventStore store = open()) {
            assertThat(store.append("cart-1", ExpectedVersion.NO_STREAM, batch)).isEqualTo(first);
            assertThat(store.readStream("cart-1").events()).hasSize(2);
        }
    }

    @Test
    void eventsKeepTheTimestampOfTheStoresClock() {
        clock.advance(java.time.Duration.ofMinutes(5));
        try (JournalEventStore store = open()) {
            store.append("cart-1", ExpectedVersion.ANY, StoreFixture.events(new ItemAdded("a", 1)));
        }

        try (JournalEventStore store = open()) {
            assertThat(store.readStream("cart-1").events().get(0).timestamp())
                    .isEqualTo(Instant.ofEpochMilli(clock.currentTimeMillis()));
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryInThisProcessIsRefusedNamingIt() {
        try (JournalEventStore store = open()) {
            assertThatThrownBy(this::open)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("journal directory " + directory.toAbsolutePath() + " is already open");
            assertThat(store.headPosition()).isZero();
        }
    }

    @Test
    void groupCommitIsTheDefaultAndStatsCountRecordsAndForces() {
        assertThat(options().build().durability()).isEqualTo(JournalDurability.GROUP_COMMIT);
        assertThat(options().build().segmentBytes()).isEqualTo(64L * 1024 * 1024);
        try (JournalEventStore store = JournalEventStore.open(directory,
                options().durability(JournalDurability.FSYNC_EACH).build())) {
            store.append("cart-1", ExpectedVersion.ANY, StoreFixture.events(new ItemAdded("a", 1)));
            store.append("cart-1", ExpectedVersion.ANY, StoreFixture.events(new ItemAdded("b", 1)));

            assertThat(store.stats().records()).isEqualTo(2);
            assertThat(store.stats().forces()).isEqualTo(2);
            assertThat(store.stats().bytes()).isPositive();
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheSettingAndValue() {
        assertThatThrownBy(() -> options().segmentBytes(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segmentBytes must be in [4096, 1099511627776], was 1000");
        assertThatThrownBy(() -> options().durability(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("durability");
        assertThatThrownBy(() -> JournalEventStore.open(null, options().build()))
                .isInstanceOf(NullPointerException.class).hasMessage("directory");
    }
}
