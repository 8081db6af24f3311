/* MuJoCo's memory through a small cache of large blocks.
 *
 * Every environment owns a model copy and an mjData, and the samplers make a few hundred of them per
 * sampling phase (one per episode) and free them when their lane is done. An mjData's stack is
 * megabytes (nstack), which glibc hands out as fresh zero pages: each one faults when first
 * touched, and freeing gives them back to the kernel. That cost ten times the allocation itself
 * (≈2.5 ms per HalfCheetah environment against ≈0.25 ms with warm memory). Here freed blocks of
 * 256 KiB or more are kept (up to CACHE_SLOTS blocks and CACHE_BYTES in all) and handed out again
 * for a request of the same size, pages already resident. Blocks are 64-byte aligned, as
 * mju_malloc's own are; their contents are whatever was there (mju_malloc never promised zeros,
 * and MuJoCo initialises what it reads: mj_makeData/mj_resetData the buffer, the stack is scratch).
 *
 * The handlers are installed when the library is loaded, before any MuJoCo call can allocate, so
 * every block MuJoCo frees went through mjs_alloc. Only MuJoCo's allocations go through here. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

#define ALIGN 64
#define HEADER 64                      /* keeps the user block 64-byte aligned; holds its size */
#define CACHE_MIN ((size_t)256 * 1024) /* smaller blocks go straight back to malloc */
#define CACHE_SLOTS 64
#define CACHE_BYTES ((size_t)768 * 1024 * 1024)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static void* cache_block[CACHE_SLOTS];
static size_t cache_size[CACHE_SLOTS];
static int cache_count;
static size_t cache_total;
static long long cache_hits, cache_misses;

static size_t padded(size_t size) { return (size + ALIGN - 1) / ALIGN * ALIGN; }

static void* mjs_alloc(size_t size) {
    size = padded(size ? size : 1);
    if (size >= CACHE_MIN) {
        pthread_mutex_lock(&cache_lock);
        /* Newest first: the block most recently in use has the warmest pages. */
        for (int i = cache_count - 1; i >= 0; i--) {
            if (cache_size[i] != size) continue;
            char* raw = cache_block[i];
            cache_block[i] = cache_block[cache_count - 1];
            cache_size[i] = cache_size[cache_count - 1];
            cache_count--;
            cache_total -= size;
            cache_hits++;
            pthread_mutex_unlock(&cache_lock);
            return raw + HEADER;
        }
        cache_misses++;
        pthread_mutex_unlock(&cache_lock);
    }
    char* raw = aligned_alloc(ALIGN, HEADER + size);
    if (!raw) return NULL; /* mju_malloc raises MuJoCo's error */
    memcpy(raw, &size, sizeof size);
    return raw + HEADER;
}

static void mjs_release(void* ptr) {
    char* raw = (char*)ptr - HEADER;
    size_t size;
    memcpy(&size, raw, sizeof size);
    if (size >= CACHE_MIN) {
        pthread_mutex_lock(&cache_lock);
        if (cache_count < CACHE_SLOTS && cache_total + size <= CACHE_BYTES) {
            cache_block[cache_count] = raw;
            cache_size[cache_count] = size;
            cache_count++;
            cache_total += size;
            pthread_mutex_unlock(&cache_lock);
            return;
        }
        pthread_mutex_unlock(&cache_lock);
    }
    free(raw);
}

__attribute__((constructor)) static void install_allocator(void) {
    mju_user_malloc = mjs_alloc;
    mju_user_free = mjs_release;
}

/* Cache statistics (for tests and diagnostics): blocks and bytes held now, hits and misses so far. */
MJS_EXPORT void mjs_alloc_stats(long long* blocks, long long* bytes, long long* hits, long long* misses) {
    pthread_mutex_lock(&cache_lock);
    *blocks = cache_count;
    *bytes = (long long)cache_total;
    *hits = cache_hits;
    *misses = cache_misses;
    pthread_mutex_unlock(&cache_lock);
}
