package dev.lockstep.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where an idle dispatcher waits for work: woken when a partition announces ready lanes (pub/sub),
 * or after a timeout (delayed lanes falling due, a missed message). Remembers which partitions
 * were announced so the next sweep tries them first.
 */
public final class WakeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private final boolean[] announced;
    private boolean any;

    public WakeSignal(int partitions) {
        this.announced = new boolean[partitions];
    }

    public void wake(int partition) {
        lock.lock();
        try {
            if (partition >= 0 && partition < announced.length) {
                announced[partition] = true;
            }
            any = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken or the timeout passes; returns at once if a wake came since the last call. */
    public void await(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!any && nanos > 0) {
                nanos = woken.awaitNanos(nanos);
            }
            any = false;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the announced partitions into {@code into} (true = announced) and clears them. */
    public void drainAnnounced(boolean[] into) {
        lock.lock();
        try {
            for (int i = 0; i < announced.length; i++) {
                if (announced[i]) {
                    into[i] = true;
                    announced[i] = false;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
