package dev.bulwark.eventstore.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The group commit's bookkeeping on its own: who leads, what a round covers, when the role passes on, and when a
 * leader waits for its group. Deterministic: a manual clock (so no caller spins), one thread (the waits in
 * {@link CommitQueue#await} return at once when their condition already holds) except where callers park.
 */
class CommitQueueTest {
    private final ManualClock clock = new ManualClock();
    private final CommitQueue queue = new CommitQueue(clock);

    @Test
    void theFirstCallerLeadsAndTheOthersQueueUntilTheRoleIsFree() {
        assertThat(queue.tryLead()).isTrue();
        assertThat(queue.tryLead()).isFalse();

        assertThat(queue.afterRound(null, 1, false)).as("no one queued: the role is free").isNull();
        assertThat(queue.tryLead()).isTrue();
    }

    @Test
    void aRoundCoversTheQueuedCallersInOrderAndLaterCallersStartANewQueue() {
        queue.tryLead();
        CommitQueue.Waiter first = new CommitQueue.Waiter(1);
        CommitQueue.Waiter second = new CommitQueue.Waiter(2);
        queue.add(first);
        queue.add(second);

        CommitQueue.Waiter chain = queue.takeAll();
        CommitQueue.Waiter later = new CommitQueue.Waiter(3);
        queue.add(later);

        assertThat(chain).isSameAs(first);
        assertThat(first.next).isSameAs(second);
        assertThat(second.next).as("a taken chain never grows").isNull();
        assertThat(queue.takeAll()).isSameAs(later);
    }

    @Test
    void aLeaderRunsASecondRoundThenHandsTheRoleToTheFirstQueuedCaller() {
        queue.tryLead();
        CommitQueue.Waiter first = new CommitQueue.Waiter(1);
        CommitQueue.Waiter second = new CommitQueue.Waiter(2);
        queue.add(first);

        assertThat(queue.afterRound(null, 1, false)).isSameAs(CommitQueue.CONTINUE);

        queue.add(second);
        CommitQueue.Waiter next = queue.afterRound(null, CommitQueue.MAX_ROUNDS, false);
        assertThat(next).isSameAs(first);
        assertThat(first.next).as("the new leader is in no chain").isNull();
        assertThat(queue.takeAll()).as("the others stay queued for it").isSameAs(second);
        assertThat(queue.tryLead()).as("the role passed on, it is not free").isFalse();
    }

    @Test
    void aFailedOrClosedJournalFreesTheRoleEvenWithCallersQueued() {
        queue.tryLead();
        queue.add(new CommitQueue.Waiter(1));

        assertThat(queue.afterRound(null, 1, true)).isNull();
        assertThat(queue.tryLead()).isTrue();
    }

    @Test
    void aQueuedCallerLeavesWhenItsRecordIsDurable() {
        CommitQueue.Waiter waiter = new CommitQueue.Waiter(5);
        AtomicLong durable = new AtomicLong(6);

        assertThat(CommitQueue.await(waiter, durable::get, clock, 0)).as("leaves without leading").isFalse();
    }

    @Test
    void aReleasedCallerLeavesWithoutItsRecordAndAHandedOverCallerLeads() {
        CommitQueue.Waiter released = new CommitQueue.Waiter(5);
        CommitQueue.Waiter leader = new CommitQueue.Waiter(6);
        CommitQueue.release(released);
        CommitQueue.handOver(leader);

        assertThat(CommitQueue.await(released, () -> 4, clock, 0)).isFalse();
        assertThat(CommitQueue.await(leader, () -> 4, clock, 0)).isTrue();
    }

    @Test
    void aRoundWakesEveryParkedCallerOfItsChainItself() throws InterruptedException {
        AtomicLong durable = new AtomicLong(0);
        queue.tryLead();
        CountDownLatch queued = new CountDownLatch(3);
        CountDownLatch returned = new CountDownLatch(3);
        List<Thread> callers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long lsn = i;
            callers.add(new Thread(() -> {
                CommitQueue.Waiter waiter = new CommitQueue.Waiter(lsn);
                synchronized (queue) {
                    queue.add(waiter);
                }
                queued.countDown();
                CommitQueue.await(waiter, durable::get, clock, 0);
                returned.countDown();
            }));
        }
        callers.forEach(Thread::start);
        queued.await();
        CommitQueue.Waiter chain;
        synchronized (queue) {
            chain = queue.takeAll();
        }

        durable.set(3);
        CommitQueue.wake(chain);

        assertThat(returned.await(10, TimeUnit.SECONDS)).as("all three returned").isTrue();
        for (Thread caller : callers) {
            caller.join();
        }
    }

    @Test
    void aQueuedCallerSpinsForAtMostTwoRecentForceTimesAndNotAtAllWithoutThem() {
        assertThat(queue.spinNanos()).as("no force yet").isZero();

        queue.forced(Duration.ofMillis(2).toNanos());
        assertThat(queue.spinNanos()).as("twice the average, a quarter of the way to 2 ms")
                .isEqualTo(Duration.ofMillis(1).toNanos());

        queue.forced(0);
        assertThat(queue.spinNanos()).as("twice an average of 375 us").isEqualTo(750_000);

        for (int i = 0; i < 50; i++) {
            queue.forced(Duration.ofMillis(2).toNanos());
        }
        assertThat(queue.spinNanos()).as("at most 1 ms").isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void withForcesThatTakeNoTimeALeaderNeverWaitsForItsGroup() {
        queue.forced(0);

        assertThat(queue.fillTimeNanos()).isZero();
    }

    @Test
    void aLeaderWaitsForAsManyCallersAsTheLastRoundReleasedThenTheGroupIsFull() {
        for (int i = 0; i < 20; i++) {
            queue.forced(Duration.ofMillis(2).toNanos());
        }
        queue.tryLead();
        CommitQueue.Waiter a = new CommitQueue.Waiter(1);
        CommitQueue.Waiter b = new CommitQueue.Waiter(2);
        queue.add(a);
        queue.add(b);
        CommitQueue.Waiter covered = queue.takeAll();
        queue.add(new CommitQueue.Waiter(3));
        assertThat(queue.afterRound(covered, 1, false)).isSameAs(CommitQueue.CONTINUE);

        assertThat(queue.fillTimeNanos()).as("a quarter of a force, at most 250 us").isEqualTo(250_000);
        assertThat(queue.startFilling()).isTrue();
        queue.add(new CommitQueue.Waiter(4));
        assertThat(queue.isFilling()).isTrue();
        queue.add(new CommitQueue.Waiter(5));
        assertThat(queue.isFilling()).as("both released callers are back").isFalse();
    }

    @Test
    void callersReleasedLongerAgoThanAForceAreNotWaitedFor() {
        queue.forced(Duration.ofMillis(1).toNanos());
        queue.tryLead();
        queue.add(new CommitQueue.Waiter(1));
        queue.afterRound(queue.takeAll(), 1, false);

        clock.advance(Duration.ofMillis(5));

        assertThat(queue.startFilling()).isFalse();
    }
}
