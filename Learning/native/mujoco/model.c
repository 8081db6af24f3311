/* Loading models (from a file or from an XML string through a virtual file system), and data. */
#include <stdlib.h>
#include <string.h>
#include "shim.h"

MJS_EXPORT mjModel* mjs_load_xml_file(const char* path) {
    char error[1024] = "";
    mjModel* volatile model = NULL;
    MJS_TRAP_BEGIN(NULL)
    model = mj_loadXML(path, NULL, error, sizeof error);
    MJS_TRAP_END()
    if (!model) mjs_set_error(error[0] ? error : "mj_loadXML failed");
    return model;
}

MJS_EXPORT mjModel* mjs_load_xml_string(const char* xml) {
    char error[1024] = "";
    mjModel* volatile model = NULL;
    mjVFS* volatile vfs = (mjVFS*)malloc(sizeof(mjVFS));
    if (!vfs) {
        mjs_set_error("out of memory");
        return NULL;
    }
    {
        MJS_TRAP_BEGIN((mj_deleteVFS(vfs), free(vfs), (mjModel*)NULL))
        mj_defaultVFS(vfs);
        size_t n = strlen(xml);
        if (mj_makeEmptyFileVFS(vfs, "model.xml", (int)n) != 0) {
            mjs_set_error("could not create the virtual model file");
        } else {
            int index = mj_findFileVFS(vfs, "model.xml");
            memcpy(vfs->filedata[index], xml, n);
            model = mj_loadXML("model.xml", vfs, error, sizeof error);
            if (!model) mjs_set_error(error[0] ? error : "mj_loadXML failed");
        }
        MJS_TRAP_END()
    }
    mj_deleteVFS(vfs);
    free(vfs);
    return model;
}

MJS_EXPORT void mjs_free_model(mjModel* model) {
    if (model) mj_deleteModel(model);
}

MJS_EXPORT mjData* mjs_make_data(mjModel* model) {
    mjData* volatile data = NULL;
    MJS_TRAP_BEGIN(NULL)
    data = mj_makeData(model);
    MJS_TRAP_END()
    if (!data) mjs_set_error("mj_makeData failed");
    return data;
}

MJS_EXPORT void mjs_free_data(mjData* data) {
    if (data) mj_deleteData(data);
}

MJS_EXPORT int mjs_nq(const mjModel* m) { return m->nq; }
MJS_EXPORT int mjs_nv(const mjModel* m) { return m->nv; }
MJS_EXPORT int mjs_nu(const mjModel* m) { return m->nu; }
MJS_EXPORT int mjs_nbody(const mjModel* m) { return m->nbody; }
MJS_EXPORT double mjs_timestep(const mjModel* m) { return m->opt.timestep; }

/* A deep copy of a model: each task owns one, so per-task parameters never leak between tasks. */
MJS_EXPORT mjModel* mjs_copy_model(const mjModel* source) {
    mjModel* volatile copy = NULL;
    MJS_TRAP_BEGIN(NULL)
    copy = mj_copyModel(NULL, source);
    MJS_TRAP_END()
    if (!copy) mjs_set_error("mj_copyModel failed");
    return copy;
}

/* Recomputes the model's derived constants (subtree masses, dof_M0, actuator_acc0, ...) after its
 * parameters changed. The project calls it for every per-task model, so every quantity MuJoCo
 * derives from masses and geometry is consistent with the task. */
MJS_EXPORT int mjs_set_const(mjModel* m) {
    mjData* volatile d = NULL;
    MJS_TRAP_BEGIN((d ? mj_deleteData(d) : (void)0, MJS_ERROR))
    d = mj_makeData(m);
    mj_setConst(m, d);
    MJS_TRAP_END()
    mj_deleteData(d);
    return MJS_OK;
}

/* Writes the compiled model as MuJoCo's binary model file (MJB), which mj_loadModel reads back
 * exactly: how a task's model (after its edits and mj_setConst) reaches plain C (bench env's reference). */
MJS_EXPORT int mjs_save_binary(const mjModel* m, const char* path) {
    MJS_TRAP_BEGIN(MJS_ERROR)
    mj_saveModel(m, path, NULL, 0);
    MJS_TRAP_END()
    return MJS_OK;
}
