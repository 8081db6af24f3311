/* Reference side of bench `env`: the environment loop in plain C, calling MuJoCo directly.
 * Each thread owns one mjData on a shared model and runs `steps` environment steps: uniform random
 * controls in [-1, 1] (xoshiro256**), mj_step × frame_skip, the x-velocity reward from qpos, the
 * observation copied out as floats (qpos minus the root x, then qvel), a reset with uniform noise on
 * qpos/qvel every `horizon` steps. Prints one JSON object {"steps_per_second": ..., "cpu_steps_per_second": ...}:
 * steps per second of wall time (all threads), and per second of the threads' own CPU time (per core,
 * less sensitive to other processes on a shared machine).
 * `extras` does what the family's C# environment adds to every step: 1 (Ant) computes the contact
 * forces (mj_rnePostConstraint), adds their clipped squares to a contact cost and copies cfrc_ext
 * into the observation; 2 (Humanoid) does that and also copies cinert, cvel and qfrc_actuator.
 * `noise` is the reset noise (default 0.1). With `z_index` ≥ 0 an episode also ends (and the loop
 * resets) when qpos[z_index] leaves [z_low, z_high], or |qpos[pitch_index]| ≥ 1 when pitch_index ≥ 0:
 * the families' termination rules, so that both sides spend their steps in the same states.
 * A model file ending in .mjb is read as a compiled binary model (a task's model written by the C# side).
 * Usage: mujoco_loop <model.xml|model.mjb> <frame_skip> <horizon> <threads> <steps_per_thread>
 *                    [extras [noise [z_index z_low z_high [pitch_index]]]] */
#include <mujoco/mujoco.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static mjModel* model;
static int frame_skip, horizon, extras, z_index = -1, pitch_index = -1;
static double noise = 0.1, z_low, z_high;
static long steps_per_thread;
static double thread_cpu[64];

static double thread_cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct { uint64_t s[4]; } rng_t;
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next_u64(rng_t* r) {
    uint64_t* s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static double uniform(rng_t* r, double lo, double hi) { return lo + (hi - lo) * ((next_u64(r) >> 11) * (1.0 / 9007199254740992.0)); }

static void reset(mjData* d, rng_t* r) {
    mj_resetData(model, d);
    for (int i = 0; i < model->nq; i++) d->qpos[i] += uniform(r, -noise, noise);
    for (int i = 0; i < model->nv; i++) d->qvel[i] = uniform(r, -noise, noise);
}

static void* run(void* arg) {
    rng_t r = {{0x9E3779B97F4A7C15ull ^ (uint64_t)(intptr_t)arg, 0xBF58476D1CE4E5B9ull, 0x94D049BB133111EBull, 42}};
    mjData* d = mj_makeData(model);
    size_t obs_size = (size_t)(model->nq + model->nv) + (extras >= 1 ? 6 * (size_t)model->nbody : 0) +
                      (extras >= 2 ? 16 * (size_t)model->nbody + (size_t)model->nv : 0);
    float* obs = malloc(sizeof(float) * obs_size);
    double reward_sum = 0;
    reset(d, &r);
    double cpu_start = thread_cpu_seconds();
    for (long t = 0, k = 0; t < steps_per_thread; t++, k++) {
        if (k == horizon) { reset(d, &r); k = 0; }
        else if (z_index >= 0 && (d->qpos[z_index] < z_low || d->qpos[z_index] > z_high ||
                                  (pitch_index >= 0 && fabs(d->qpos[pitch_index]) >= 1))) { reset(d, &r); k = 0; }
        for (int i = 0; i < model->nu; i++) d->ctrl[i] = uniform(&r, -1, 1);
        double x_before = d->qpos[0];
        for (int f = 0; f < frame_skip; f++) mj_step(model, d);
        double ctrl_cost = 0;
        for (int i = 0; i < model->nu; i++) ctrl_cost += d->ctrl[i] * d->ctrl[i];
        reward_sum += (d->qpos[0] - x_before) / (model->opt.timestep * frame_skip) - 0.05 * ctrl_cost;
        int k = 0;
        for (int i = 1; i < model->nq; i++) obs[k++] = (float)d->qpos[i];
        for (int i = 0; i < model->nv; i++) obs[k++] = (float)d->qvel[i];
        if (extras >= 2) {
            for (int i = 0; i < 10 * model->nbody; i++) obs[k++] = (float)d->cinert[i];
            for (int i = 0; i < 6 * model->nbody; i++) obs[k++] = (float)d->cvel[i];
            for (int i = 0; i < model->nv; i++) obs[k++] = (float)d->qfrc_actuator[i];
        }
        if (extras >= 1) {
            mj_rnePostConstraint(model, d);
            double contact = 0;
            for (int i = 0; i < 6 * model->nbody; i++) {
                double f = d->cfrc_ext[i] < -1 ? -1 : d->cfrc_ext[i] > 1 ? 1 : d->cfrc_ext[i];
                contact += f * f;
                obs[k++] = (float)f;
            }
            reward_sum -= 5e-4 * contact;
        }
    }
    thread_cpu[(intptr_t)arg - 1] = thread_cpu_seconds() - cpu_start;
    free(obs);
    mj_deleteData(d);
    return (void*)(intptr_t)(reward_sum != reward_sum); /* keep the work observable */
}

int main(int argc, char** argv) {
    if (argc < 6 || argc > 12 || argc == 9 || argc == 10) {
        fprintf(stderr, "usage: %s model.xml frame_skip horizon threads steps_per_thread [extras [noise [z_index z_low z_high [pitch_index]]]]\n", argv[0]);
        return 2;
    }
    char error[1000];
    size_t len = strlen(argv[1]);
    int binary = len > 4 && strcmp(argv[1] + len - 4, ".mjb") == 0;
    model = binary ? mj_loadModel(argv[1], NULL) : mj_loadXML(argv[1], NULL, error, sizeof error);
    if (!model) { fprintf(stderr, "load: %s\n", binary ? argv[1] : error); return 1; }
    frame_skip = atoi(argv[2]);
    horizon = atoi(argv[3]);
    int threads = atoi(argv[4]);
    steps_per_thread = atol(argv[5]);
    extras = argc > 6 ? atoi(argv[6]) : 0;
    if (argc > 7) noise = atof(argv[7]);
    if (argc > 10) { z_index = atoi(argv[8]); z_low = atof(argv[9]); z_high = atof(argv[10]); }
    if (argc > 11) pitch_index = atoi(argv[11]);
    if (threads < 1 || threads > 64) { fprintf(stderr, "threads must be 1..64\n"); return 2; }
    pthread_t tid[64];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, run, (void*)(intptr_t)(i + 1));
    for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double seconds = (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec);
    double cpu = 0;
    for (int i = 0; i < threads; i++) cpu += thread_cpu[i];
    printf("{\"steps_per_second\": %.1f, \"cpu_steps_per_second\": %.1f}\n", threads * steps_per_thread / seconds, threads * steps_per_thread / cpu);
    mj_deleteModel(model);
    return 0;
}
