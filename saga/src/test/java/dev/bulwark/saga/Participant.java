package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A fake remote service: idempotent by key, remembers every call and which effects are in place. */
final class Participant {
    final Map<String, Integer> calls = new ConcurrentHashMap<>();
    final Set<String> effects = ConcurrentHashMap.newKeySet();
    private final List<String> log = new ArrayList<>();

    void apply(StepContext<?> ctx) {
        record("do " + ctx.stepId());
        calls.merge(ctx.idempotencyKey(), 1, Integer::sum);
        effects.add(ctx.idempotencyKey());
    }

    void undo(StepContext<?> ctx) {
        record("undo " + ctx.stepId());
        effects.remove(ctx.idempotencyKey());
    }

    synchronized void record(String entry) {
        log.add(entry);
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }
}
