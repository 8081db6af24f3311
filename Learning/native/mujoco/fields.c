/* Direct access to model parameters and simulation arrays. Pointers into mjModel/mjData are stable
 * for the object's lifetime, so the C# wrappers read and write them as spans without copying. The
 * field codes mirror MetaRl.Learning.Environments.MuJoCo.ModelField / DataField. */
#include <string.h>
#include "shim.h"

MJS_EXPORT double* mjs_model_field(mjModel* m, int field, int* rows, int* cols) {
    switch (field) {
        case 0: *rows = m->nbody; *cols = 1; return m->body_mass;
        case 1: *rows = m->nbody; *cols = 3; return m->body_inertia;
        case 2: *rows = m->nv; *cols = 1; return m->dof_damping;
        case 3: *rows = m->ngeom; *cols = 3; return m->geom_size;
        case 4: *rows = m->ngeom; *cols = 3; return m->geom_friction;
        case 5: *rows = m->nbody; *cols = 3; return m->body_pos;
        case 6: *rows = m->ngeom; *cols = 3; return m->geom_pos;
        case 7: *rows = m->nu; *cols = 2; return m->actuator_ctrlrange;
        case 8: *rows = m->nv; *cols = 1; return m->dof_armature;
        case 9: *rows = m->njnt; *cols = 1; return m->jnt_stiffness;
        case 10: *rows = m->ngeom; *cols = 1; return m->geom_rbound;
        case 11: *rows = m->nbody; *cols = 3; return m->body_ipos;
        case 12: *rows = m->nu; *cols = 6; return m->actuator_gear; /* nu x 6 */
        case 13: *rows = m->nq; *cols = 1; return m->qpos0;
        case 14: *rows = m->ngeom; *cols = 4; return m->geom_quat;
        case 15: *rows = m->nbody; *cols = 1; return m->body_subtreemass;
        case 16: *rows = m->njnt; *cols = 2; return m->jnt_range;
        case 17: *rows = m->ngeom; *cols = 1; return m->geom_margin;
        case 18: *rows = m->ngeom; *cols = mjNREF; return m->geom_solref;
        case 19: *rows = m->ngeom; *cols = mjNIMP; return m->geom_solimp;
        case 20: *rows = m->njnt; *cols = mjNREF; return m->jnt_solref;
        case 21: *rows = m->njnt; *cols = mjNIMP; return m->jnt_solimp;
        case 22: *rows = m->nv; *cols = 1; return m->dof_frictionloss;
        default: *rows = 0; *cols = 0; mjs_set_error("unknown model field"); return NULL;
    }
}

MJS_EXPORT int* mjs_model_int_field(mjModel* m, int field, int* rows, int* cols) {
    switch (field) {
        case 0: *rows = m->njnt; *cols = 1; return m->jnt_qposadr;
        case 1: *rows = m->njnt; *cols = 1; return m->jnt_dofadr;
        case 2: *rows = m->ngeom; *cols = 1; return m->geom_bodyid;
        case 3: *rows = m->nbody; *cols = 1; return m->body_parentid;
        case 4: *rows = m->njnt; *cols = 1; return m->jnt_type;
        case 5: *rows = m->ngeom; *cols = 1; return m->geom_type;
        case 6: *rows = m->nu; *cols = 2; return m->actuator_trnid; /* nu x 2: target id, second id */
        case 7: *rows = m->ngeom; *cols = 1; return m->geom_contype;
        case 8: *rows = m->ngeom; *cols = 1; return m->geom_conaffinity;
        case 9: *rows = m->ngeom; *cols = 1; return m->geom_condim;
        default: *rows = 0; *cols = 0; mjs_set_error("unknown model int field"); return NULL;
    }
}

MJS_EXPORT double* mjs_data_field(const mjModel* m, mjData* d, int field, int* rows, int* cols) {
    switch (field) {
        case 0: *rows = m->nq; *cols = 1; return d->qpos;
        case 1: *rows = m->nv; *cols = 1; return d->qvel;
        case 2: *rows = m->nu; *cols = 1; return d->ctrl;
        case 3: *rows = m->nbody; *cols = 3; return d->xpos;
        case 4: *rows = m->nbody; *cols = 4; return d->xquat;
        case 5: *rows = m->nbody; *cols = 3; return d->xipos;
        case 6: *rows = m->nbody; *cols = 3; return d->subtree_com;
        case 7: *rows = m->nv; *cols = 1; return d->qacc;
        case 8: *rows = m->nbody; *cols = 6; return d->cvel;
        case 9: *rows = m->nbody; *cols = 6; return d->cfrc_ext;
        case 10: *rows = m->nv; *cols = 1; return d->qfrc_actuator;
        case 11: *rows = m->nbody; *cols = 9; return d->xmat;
        case 12: *rows = m->nbody; *cols = 10; return d->cinert;
        default: *rows = 0; *cols = 0; mjs_set_error("unknown data field"); return NULL;
    }
}

/* mjtObj codes: the C# side passes names, never raw enum values. kind: 0 body, 1 joint, 2 geom,
 * 3 actuator, 4 site. */
MJS_EXPORT int mjs_name2id(const mjModel* m, int kind, const char* name) {
    static const int types[] = {mjOBJ_BODY, mjOBJ_JOINT, mjOBJ_GEOM, mjOBJ_ACTUATOR, mjOBJ_SITE};
    if (kind < 0 || kind > 4) return -1;
    return mj_name2id(m, types[kind], name);
}

MJS_EXPORT const char* mjs_id2name(const mjModel* m, int kind, int id) {
    static const int types[] = {mjOBJ_BODY, mjOBJ_JOINT, mjOBJ_GEOM, mjOBJ_ACTUATOR, mjOBJ_SITE};
    if (kind < 0 || kind > 4) return NULL;
    return mj_id2name(m, types[kind], id);
}

MJS_EXPORT int mjs_count(const mjModel* m, int what) {
    switch (what) {
        case 0: return m->nq;
        case 1: return m->nv;
        case 2: return m->nu;
        case 3: return m->nbody;
        case 4: return m->njnt;
        case 5: return m->ngeom;
        case 6: return m->na;
        case 7: return m->nsite;
        default: return -1;
    }
}

/* Scalar options and byte flags the field accessors cannot return as spans. which: 0 integrator
 * (mjtIntegrator), 1 constraint solver (mjtSolver), 2 solver iterations, 3 friction cone (mjtCone),
 * 4 ntendon, 5 jnt_limited[index], 6 actuator_ctrllimited[index]. -1 for an unknown code or a bad
 * index. */
MJS_EXPORT int mjs_model_int(const mjModel* m, int which, int index) {
    switch (which) {
        case 0: return m->opt.integrator;
        case 1: return m->opt.solver;
        case 2: return m->opt.iterations;
        case 3: return m->opt.cone;
        case 4: return m->ntendon;
        case 5: return index >= 0 && index < m->njnt ? m->jnt_limited[index] : -1;
        case 6: return index >= 0 && index < m->nu ? m->actuator_ctrllimited[index] : -1;
        default: return -1;
    }
}

MJS_EXPORT void mjs_set_timestep(mjModel* m, double timestep) { m->opt.timestep = timestep; }
