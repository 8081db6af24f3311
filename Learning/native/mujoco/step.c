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

/* Advances frame_skip steps with the controls already in d->ctrl. */
MJS_EXPORT int mjs_step_n(const mjModel* m, mjData* d, int frame_skip) { return mjs_step(m, d, NULL, frame_skip); }

/* Position-dependent quantities only (body frames, centres of mass), for observations and rewards.
 * It must not change the simulation's state: the constraint solver is not run (it would touch
 * qacc_warmstart), and qpos is put back afterwards because mj_kinematics renormalises free-joint
 * quaternions in place — renormalising an already normalised quaternion can change its last bit,
 * which would make a restored run drift from an uninterrupted one. */
MJS_EXPORT int mjs_kinematics(const mjModel* m, mjData* d) {
    mjMARKSTACK
    mjtNum* saved = mj_stackAlloc(d, m->nq);
    memcpy(saved, d->qpos, sizeof(mjtNum) * (size_t)m->nq);
    MJS_TRAP_BEGIN((d->pstack = _mark, MJS_ERROR))
    mj_kinematics(m, d);
    mj_comPos(m, d);
    MJS_TRAP_END()
    memcpy(d->qpos, saved, sizeof(mjtNum) * (size_t)m->nq);
    mjFREESTACK
    return MJS_OK;
}

/* Fills cfrc_ext (the external, i.e. contact, force on every body) from the last step's
 * constraint forces. mj_step does not compute it; observations and contact costs that read it call
 * this after stepping. It changes nothing the next step depends on. */
MJS_EXPORT int mjs_contact_forces(const mjModel* m, mjData* d) {
    MJS_TRAP_BEGIN(MJS_ERROR)
    mj_rnePostConstraint(m, d);
    MJS_TRAP_END()
    return MJS_OK;
}

MJS_EXPORT int mjs_forward(const mjModel* m, mjData* d) {
    MJS_TRAP_BEGIN(MJS_ERROR)
    mj_forward(m, d);
    MJS_TRAP_END()
    return MJS_OK;
}

/* Everything the next mj_step depends on: time, qpos, qvel, act, ctrl and the solver's warm start.
 * With it a simulation continues bit-identically after a restore. */
MJS_EXPORT int mjs_full_state_size(const mjModel* m) { return 1 + m->nq + m->nv + m->na + m->nu + m->nv; }

MJS_EXPORT void mjs_get_full_state(const mjModel* m, const mjData* d, double* dst) {
    int k = 0;
    dst[k++] = d->time;
    memcpy(dst + k, d->qpos, sizeof(double) * (size_t)m->nq); k += m->nq;
    memcpy(dst + k, d->qvel, sizeof(double) * (size_t)m->nv); k += m->nv;
    memcpy(dst + k, d->act, sizeof(double) * (size_t)m->na); k += m->na;
    memcpy(dst + k, d->ctrl, sizeof(double) * (size_t)m->nu); k += m->nu;
    memcpy(dst + k, d->qacc_warmstart, sizeof(double) * (size_t)m->nv);
}

MJS_EXPORT void mjs_set_full_state(const mjModel* m, mjData* d, const double* src) {
    int k = 0;
    d->time = src[k++];
    memcpy(d->qpos, src + k, sizeof(double) * (size_t)m->nq); k += m->nq;
    memcpy(d->qvel, src + k, sizeof(double) * (size_t)m->nv); k += m->nv;
    memcpy(d->act, src + k, sizeof(double) * (size_t)m->na); k += m->na;
    memcpy(d->ctrl, src + k, sizeof(double) * (size_t)m->nu); k += m->nu;
    memcpy(d->qacc_warmstart, src + k, sizeof(double) * (size_t)m->nv);
}
