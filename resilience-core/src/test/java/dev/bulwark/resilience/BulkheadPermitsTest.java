package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkheadPermitsTest {

    @Test
    void stripesArePowersOfTwoAndNeverMoreThanPermits() {
        assertThat(BulkheadPermits.stripeCount(1, 2)).isEqualTo(1);
        assertThat(BulkheadPermits.stripeCount(3, 2)).isEqualTo(2);
        assertThat(BulkheadPermits.stripeCount(25, 2)).isEqualTo(8);
        assertThat(BulkheadPermits.stripeCount(1_000, 64)).isEqualTo(64);
        assertThat(BulkheadPermits.stripeCount(1_000, 0)).isEqualTo(4);
    }

    @Test
    void oneThreadCanTakeEveryPermitWhateverStripeItLivesIn() {
        BulkheadPermits permits = new BulkheadPermits(25);

        int taken = 0;
        while (permits.tryAcquire()) {
            taken++;
        }

        assertThat(taken).isEqualTo(25);
        assertThat(permits.available()).isZero();
    }

    @Test
    void permitsGivenBackFromAnotherThreadCanBeTakenAgain() throws InterruptedException {
        BulkheadPermits permits = new BulkheadPermits(16);
        while (permits.tryAcquire()) {
            // take them all
        }
        Thread other = new Thread(() -> {
            for (int i = 0; i < 16; i++) {
                permits.release();
            }
        });
        other.start();
        other.join();

        assertThat(permits.available()).isEqualTo(16);
        int taken = 0;
        while (permits.tryAcquire()) {
            taken++;
        }
        assertThat(taken).isEqualTo(16);
    }

    @Test
    void aQueuedWaiterIsGrantedByTheNextRelease() {
        BulkheadPermits permits = new BulkheadPermits(1);
        assertThat(permits.tryAcquire()).isTrue();
        AtomicInteger granted = new AtomicInteger();
        BulkheadPermits.Waiter waiter = new BulkheadPermits.Waiter() {
            @Override
            void granted() {
                granted.incrementAndGet();
            }
        };

        permits.enqueue(waiter);
        assertThat(permits.tryAcquire()).as("a newcomer does not overtake a waiter").isFalse();
        permits.release();

        assertThat(granted).hasValue(1);
        assertThat(permits.waiting()).isZero();
        assertThat(permits.remove(waiter)).as("a granted waiter has left the queue").isFalse();
        assertThat(permits.available()).isZero();
    }

    @Test
    void everyTakenPermitIsCounted() {
        BulkheadPermits permits = new BulkheadPermits(4, 2, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(permits.tryAcquire()).isTrue();
            permits.release();
        }

        assertThat(permits.granted()).isEqualTo(10);
    }

    @Test
    void aStripesCountIsFoldedAwayBeforeItCanWrap() {
        long nearlyFolded = (1L << 31) - 1;
        BulkheadPermits permits = new BulkheadPermits(1, 2, nearlyFolded);
        assertThat(permits.granted()).isEqualTo(nearlyFolded);

        for (int i = 0; i < 5; i++) {
            assertThat(permits.tryAcquire()).isTrue();
            permits.release();
        }

        assertThat(permits.granted()).isEqualTo(nearlyFolded + 5);
        assertThat(permits.foldedGrants()).as("the stripe's count went back to 4").isEqualTo(1L << 31);
        assertThat(permits.available()).isEqualTo(1);
    }
}
