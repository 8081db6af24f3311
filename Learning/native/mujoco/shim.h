/* Shared by the MuJoCo shim's files: export macro, the per-thread error trap, result codes. */
#ifndef METARL_MUJOCO_SHIM_H
#define METARL_MUJOCO_SHIM_H

#include <mujoco/mujoco.h>
#include <setjmp.h>

#define MJS_EXPORT __attribute__((visibility("default")))

/* Result codes of stepping functions. */
#define MJS_OK 0
#define MJS_ERROR 1        /* MuJoCo raised an error (message in mjs_last_error); the mjData was reset */
#define MJS_BAD_PHYSICS 2  /* NaN/divergence: MuJoCo's own warning fired or the state is not finite */

/* MuJoCo's error handler must not return (the default one calls exit()). Ours longjmps back to the
 * innermost armed trap of the calling thread. Every exported function that calls into MuJoCo arms
 * a trap with MJS_TRAP, so an error becomes a return code instead of a dead process. */
typedef struct mjs_trap {
    jmp_buf env;
    int armed;
} mjs_trap;

mjs_trap* mjs_current_trap(void);
void mjs_install_handlers(void);
void mjs_set_error(const char* message);

#define MJS_TRAP_BEGIN(failure)                    \
    mjs_install_handlers();                        \
    mjs_trap* trap__ = mjs_current_trap();         \
    int outer_armed__ = trap__->armed;             \
    jmp_buf outer__;                               \
    if (outer_armed__) memcpy(outer__, trap__->env, sizeof(jmp_buf)); \
    if (setjmp(trap__->env) != 0) {                \
        trap__->armed = outer_armed__;             \
        if (outer_armed__) memcpy(trap__->env, outer__, sizeof(jmp_buf)); \
        return failure;                            \
    }                                              \
    trap__->armed = 1;

#define MJS_TRAP_END()                             \
    trap__->armed = outer_armed__;                 \
    if (outer_armed__) memcpy(trap__->env, outer__, sizeof(jmp_buf));

#endif
