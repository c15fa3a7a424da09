package dev.bulwark.cqrs;

import dev.bulwark.eventstore.RecordedEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A read model in memory: the checkpoint and the parked events live here, beside the projection's own state, and
 * are lost with it. Only the runner's thread changes them; other threads read the volatile checkpoint and the
 * copy-on-write list.
 */
final class MemoryReadModel implements ReadModel {

    private final String name;
    private final Projection projection;
    private volatile long checkpoint;
    private final CopyOnWriteArrayList<ParkedEvent> parked = new CopyOnWriteArrayList<>();

    MemoryReadModel(String name, Projection projection) {
        this.name = name;
        this.projection = Objects.requireNonNull(projection, "projection");
    }

    @Override
    public boolean acquire() {
        return true;
    }

    @Override
    public long begin() {
        return checkpoint;
    }

    @Override
    public Set<String> parkedKeys() {
        Set<String> keys = new HashSet<>();
        for (ParkedEvent event : parked) {
            keys.add(event.key());
        }
        return keys;
    }

    @Override
    public void apply(List<RecordedEvent> events, long checkpoint) throws ApplyFailure {
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent event = events.get(i);
            try {
                projection.apply(event);
            } catch (Exception e) {
                throw new ApplyFailure(i, event, e);
            }
            this.checkpoint = event.position();
        }
        this.checkpoint = Math.max(this.checkpoint, checkpoint);
    }

    @Override
    public void park(ParkedEvent event) {
        parked.add(event);
        checkpoint = event.position();
    }

    @Override
    public void advance(long checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    public List<ParkedEvent> parked() {
        return List.copyOf(parked);
    }

    @Override
    public int retryParked(String key, Function<ParkedEvent, RecordedEvent> events, long checkpoint)
            throws ApplyFailure {
        int applied = 0;
        for (ParkedEvent event : ofKey(key)) {
            RecordedEvent recorded = events.apply(event);
            try {
                projection.apply(recorded);
            } catch (Exception e) {
                throw new ApplyFailure(applied, recorded, e);
            }
            parked.remove(event);
            applied++;
        }
        return applied;
    }

    @Override
    public int discardParked(String key, long checkpoint) {
        List<ParkedEvent> ofKey = ofKey(key);
        parked.removeAll(ofKey);
        return ofKey.size();
    }

    private List<ParkedEvent> ofKey(String key) {
        List<ParkedEvent> ofKey = new ArrayList<>();
        for (ParkedEvent event : parked) {
            if (event.key().equals(key)) {
                ofKey.add(event);
            }
        }
        return ofKey;
    }

    @Override
    public void reset() throws Exception {
        projection.reset();
        parked.clear();
        checkpoint = 0;
    }

    @Override
    public long storedCheckpoint() {
        return checkpoint;
    }

    @Override
    public void release() {}

    @Override
    public String toString() {
        return "in-memory read model of " + name;
    }
}
