package dev.bulwark.cqrs;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.RecordedEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory projection for tests: balances per stream, the positions applied, and streams made to fail. */
final class Balances implements Projection {
    final Map<String, Long> balances = new ConcurrentHashMap<>();
    final List<Long> applied = new CopyOnWriteArrayList<>();
    final Set<String> failingStreams = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> failures = new ConcurrentHashMap<>();

    @Override
    public void apply(RecordedEvent event) {
        if (failingStreams.contains(event.streamId())) {
            failures.merge(event.streamId(), 1, Integer::sum);
            throw new IllegalStateException("cannot project " + event.streamId());
        }
        Object data = event.data();
        if (data instanceof Opened) {
            balances.put(event.streamId(), 0L);
        } else if (data instanceof Deposited deposited) {
            balances.merge(event.streamId(), deposited.amount(), Long::sum);
        } else if (data instanceof Withdrawn withdrawn) {
            balances.merge(event.streamId(), -withdrawn.amount(), Long::sum);
        }
        applied.add(event.position());
    }

    @Override
    public void reset() {
        balances.clear();
        applied.clear();
    }
}
