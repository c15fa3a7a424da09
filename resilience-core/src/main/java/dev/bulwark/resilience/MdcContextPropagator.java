package dev.bulwark.resilience;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries SLF4J's MDC. The snapshot holds a copy of the caller's map; applying it replaces the target
 * thread's map (clearing it when the caller had none) and closing the scope puts the previous map back, so a
 * pooled thread never keeps a request's keys after the work is done.
 */
enum MdcContextPropagator implements ContextPropagator {
    INSTANCE;

    @Override
    public ContextSnapshot capture() {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            install(captured);
            return () -> install(previous);
        };
    }

    private static void install(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(map);
        }
    }

    @Override
    public String toString() {
        return "ContextPropagator.mdc()";
    }
}
