package io.herald.storage;

import io.herald.common.ManualClock;
import java.util.ArrayList;
import java.util.List;

/** A {@link Scheduler} for tests: tasks run only when {@link #runDue()} is called and their time on the clock has come. */
final class ManualScheduler implements Scheduler {
    private record Task(String name, Runnable task, long dueMs, long periodMs) {}

    private final ManualClock clock;
    private final List<Task> tasks = new ArrayList<>();

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void schedule(String name, Runnable task, long delayMs) {
        tasks.add(new Task(name, task, clock.millis() + delayMs, -1));
    }

    @Override
    public synchronized void schedulePeriodic(String name, Runnable task, long periodMs) {
        tasks.add(new Task(name, task, clock.millis() + periodMs, periodMs));
    }

    /** Runs every task whose due time has passed; periodic ones are re-armed. Returns how many ran. */
    int runDue() {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            for (Task t : List.copyOf(tasks)) {
                if (t.dueMs() <= clock.millis()) {
                    tasks.remove(t);
                    due.add(t);
                    if (t.periodMs() > 0) {
                        tasks.add(new Task(t.name(), t.task(), clock.millis() + t.periodMs(), t.periodMs()));
                    }
                }
            }
        }
        due.forEach(t -> t.task().run());
        return due.size();
    }

    synchronized int pendingOneShot() {
        return (int) tasks.stream().filter(t -> t.periodMs() < 0).count();
    }
}
