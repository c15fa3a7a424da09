package dev.bulwark.resilience;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** Waits for another thread to reach a state, polling often so that tests stay fast. */
final class Eventually {
    private Eventually() {}

    static void until(Callable<Boolean> condition) {
        Awaitility.await()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .atMost(Duration.ofSeconds(10))
                .until(condition);
    }
}
