#include "common.h"

namespace {
thread_local std::string last_error;
}

void mt::set_error(const char* message) { last_error = message ? message : ""; }
void mt::set_error(const std::string& message) { last_error = message; }

MT_EXPORT const char* mt_last_error() { return last_error.c_str(); }
MT_EXPORT void mt_clear_error() { last_error.clear(); }
