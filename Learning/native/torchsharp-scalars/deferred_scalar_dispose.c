/*
 * TorchSharp 0.107 frees a Scalar's native object from the Scalar's finalizer, and its implicit
 * conversions (alpha = 1 in tensor + tensor, a double in tensor arithmetic) make Scalars that nothing
 * references once their handle is passed to a native call: a garbage collection during that call can
 * finalize the Scalar and free what libtorch is still reading (docs/ARCHITECTURE.md, "A TorchSharp
 * race"). This library stands in front of TorchSharp's bridge (Common/ScalarDisposal.cs resolves
 * TorchSharp's "LibTorchSharp" imports to it; it has libLibTorchSharp.so as a dependency, so every
 * other entry point resolves to the bridge's own) and defines THSTorch_dispose_scalar alone: a Scalar
 * is freed only after a grace period, long after any native call that could still read it returned.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))
#define CAPACITY (1u << 20) /* at most this many Scalars wait; beyond it the oldest is freed at once */
#define GRACE_NS 2000000000LL /* 2 s */

typedef void (*dispose_fn)(void *);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static dispose_fn real_dispose;
static void *waiting[CAPACITY];
static int64_t since[CAPACITY];
static uint32_t head, count;
static uint64_t deferred_total, freed_total;

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Frees the oldest waiting Scalar; the lock is held. */
static void free_oldest(void)
{
    real_dispose(waiting[head]);
    freed_total++;
    head = (head + 1) % CAPACITY;
    count--;
}

EXPORT void THSTorch_dispose_scalar(void *scalar)
{
    if (scalar == NULL) return;
    pthread_mutex_lock(&lock);
    if (real_dispose == NULL) real_dispose = (dispose_fn)dlsym(RTLD_NEXT, "THSTorch_dispose_scalar");
    if (real_dispose == NULL) { /* no bridge behind us: keep the Scalar rather than crash */
        pthread_mutex_unlock(&lock);
        return;
    }
    int64_t t = now_ns();
    while (count > 0 && t - since[head] > GRACE_NS) free_oldest();
    if (count == CAPACITY) free_oldest();
    uint32_t slot = (head + count) % CAPACITY;
    waiting[slot] = scalar;
    since[slot] = t;
    count++;
    deferred_total++;
    pthread_mutex_unlock(&lock);
}

/* How many Scalars wait to be freed, how many were ever deferred, and how many freed (tests, doctor). */
EXPORT void metarl_scalars_counts(uint64_t *waiting_now, uint64_t *deferred, uint64_t *freed)
{
    pthread_mutex_lock(&lock);
    *waiting_now = count;
    *deferred = deferred_total;
    *freed = freed_total;
    pthread_mutex_unlock(&lock);
}
