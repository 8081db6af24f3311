/* Stepping with frame skip in native code, with bad physics reported instead of silently reset. */
#include <math.h>
#include <string.h>
#include "shim.h"

static int state_is_finite(const mjModel* m, const mjData* d) {
    for (int i = 0; i < m->nq; i++)
        if (!isfinite(d->qpos[i])) return 0;
    for (int i = 0; i < m->nv; i++)
        if (!isfinite(d->qvel[i])) return 0;
    return 1;
}

/* MuJoCo resets mjData on its own when qpos/qvel/qacc go bad, counting a warning. A reset would
 * teleport the body back to the start and pay reward for it, so report it as bad physics. */
static int bad_physics_warning_count(const mjData* d) {
    return d->warning[mjWARN_BADQPOS].number + d->warning[mjWARN_BADQVEL].number +
           d->warning[mjWARN_BADQACC].number;
}

/* Applies `ctrl` (nu values, may be NULL) and advances `frame_skip` steps. */
MJS_EXPORT int mjs_step(const mjModel* m, mjData* d, const double* ctrl, int frame_skip) {
    int volatile result = MJS_OK;
    MJS_TRAP_BEGIN((mj_resetData(m, d), MJS_ERROR))
    if (ctrl) memcpy(d->ctrl, ctrl, sizeof(double) * (size_t)m->nu);
    int before = bad_physics_warning_count(d);
    for (int k = 0; k < frame_skip; k++) {
        mj_step(m, d);
        if (bad_physics_warning_count(d) != before || !state_is_finite(m, d)) {
            result = MJS_BAD_PHYSICS;
            break;
        }
    }
    MJS_TRAP_END()
    return result;
}

MJS_EXPORT void mjs_reset(const mjModel* m, mjData* d) { mj_resetData(m, d); }

MJS_EXPORT int mjs_get_qpos(const mjModel* m, const mjData* d, double* dst, int capacity) {
    if (capacity < m->nq) return -1;
    memcpy(dst, d->qpos, sizeof(double) * (size_t)m->nq);
    return m->nq;
}

MJS_EXPORT int mjs_get_qvel(const mjModel* m, const mjData* d, double* dst, int capacity) {
    if (capacity < m->nv) return -1;
    memcpy(dst, d->qvel, sizeof(double) * (size_t)m->nv);
    return m->nv;
}

MJS_EXPORT int mjs_set_state(const mjModel* m, mjData* d, const double* qpos, const double* qvel) {
    int volatile result = MJS_OK;
    MJS_TRAP_BEGIN(MJS_ERROR)
    if (qpos) memcpy(d->qpos, qpos, sizeof(double) * (size_t)m->nq);
    if (qvel) memcpy(d->qvel, qvel, sizeof(double) * (size_t)m->nv);
    mj_forward(m, d);
    MJS_TRAP_END()
    return result;
}

MJS_EXPORT double mjs_time(const mjData* d) { return d->time; }
