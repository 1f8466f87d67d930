package io.herald.broker;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The broker's current metadata image, swapped atomically as the metadata log is applied: a request reads one image
 * and sees one consistent state. Components subscribe to deltas; callers can wait for a condition on the image (for
 * example, until a topic they just created is visible here).
 */
public final class MetadataCache {
    private volatile MetadataImage image = MetadataImage.EMPTY;
    // The image every listener has applied: what waiters test, so that a change a broker "can see" is one its
    // replica manager has acted on too (a topic answered as created has its partitions made here).
    private volatile MetadataImage settled = MetadataImage.EMPTY;
    private final List<BiConsumer<MetadataImage, MetadataDelta>> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<MetadataImage> condition, CompletableFuture<MetadataImage> future) {}

    public MetadataImage image() {
        return image;
    }

    public void subscribe(BiConsumer<MetadataImage, MetadataDelta> listener) {
        listeners.add(listener);
    }

    /** Publishes a new image (called by the single metadata follower thread). */
    void publish(MetadataImage next, MetadataDelta delta) {
        image = next;
        for (BiConsumer<MetadataImage, MetadataDelta> listener : listeners) {
            listener.accept(next, delta);
        }
        settled = next;
        for (Waiter waiter : waiters) {
            if (waiter.condition().test(next)) {
                waiters.remove(waiter);
                waiter.future().complete(next);
            }
        }
    }

    /**
     * Completes with the first image satisfying the condition (possibly the current one) once every listener has
     * applied it.
     */
    public CompletableFuture<MetadataImage> await(Predicate<MetadataImage> condition) {
        MetadataImage current = settled;
        if (condition.test(current)) {
            return CompletableFuture.completedFuture(current);
        }
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter);
        // Re-check: an image may have been published between the test and the registration.
        MetadataImage latest = settled;
        if (condition.test(latest) && waiters.remove(waiter)) {
            waiter.future().complete(latest);
        }
        return waiter.future();
    }

    /**
     * Completes once an image beyond {@code offset} is published (a change committed after it), or with null after
     * {@code maxWaitMs}: how a broker answers a forwarded change only when it can already see it.
     */
    public CompletableFuture<MetadataImage> awaitBeyond(long offset, long maxWaitMs) {
        CompletableFuture<MetadataImage> waiting = await(image -> image.offset() > offset);
        return waiting.completeOnTimeout(null, maxWaitMs, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cancel(waiting));
    }

    /** Drops a waiter that is no longer wanted (timed out). */
    public void cancel(CompletableFuture<MetadataImage> future) {
        waiters.removeIf(w -> w.future() == future);
    }
}
