/* Error and warning handlers: MuJoCo never exits and never prints on its own. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "shim.h"

static _Thread_local mjs_trap current_trap;
static _Thread_local char last_error[1024];
static _Thread_local char last_warning[1024];
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

mjs_trap* mjs_current_trap(void) { return &current_trap; }

void mjs_set_error(const char* message) { snprintf(last_error, sizeof last_error, "%s", message ? message : ""); }

static void on_error(const char* message) {
    mjs_set_error(message);
    if (current_trap.armed) longjmp(current_trap.env, 1);
    /* Unreachable by construction: every entry point arms a trap before calling MuJoCo. Returning
     * would let MuJoCo call exit(); spin the message into stderr and abort loudly instead. */
    fprintf(stderr, "metarl_mujoco: MuJoCo error outside a trap: %s\n", message);
    abort();
}

static void on_warning(const char* message) {
    /* Warnings are also counted in mjData.warning[]; the stepping code reads those counters. */
    snprintf(last_warning, sizeof last_warning, "%s", message ? message : "");
}

static void install(void) {
    mju_user_error = on_error;
    mju_user_warning = on_warning;
}

void mjs_install_handlers(void) { pthread_once(&handlers_once, install); }

MJS_EXPORT const char* mjs_last_error(void) { return last_error; }
MJS_EXPORT const char* mjs_last_warning(void) { return last_warning; }
MJS_EXPORT const char* mjs_version(void) { return mj_versionString(); }
