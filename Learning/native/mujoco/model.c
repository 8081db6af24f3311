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
