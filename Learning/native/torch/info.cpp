// Runtime facts for `metarl doctor`: libtorch version, threads, parallel backend, CUDA.
#include "common.h"
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/csrc/api/include/torch/version.h>

namespace {
thread_local std::string info_buffer;
}

MT_EXPORT const char* mt_version() { return TORCH_VERSION; }

MT_EXPORT int mt_get_num_threads() { return at::get_num_threads(); }

MT_EXPORT int mt_set_num_threads(int n) {
    MT_TRY
    at::set_num_threads(n);
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT int mt_cuda_is_available() { return at::hasCUDA() ? 1 : 0; }

// at::show_config(): build settings, including the BLAS libtorch was built against.
MT_EXPORT const char* mt_build_config() {
    MT_TRY
    info_buffer = at::show_config();
    return info_buffer.c_str();
    MT_CATCH(nullptr)
}

MT_EXPORT const char* mt_parallel_info() {
    MT_TRY
    info_buffer = at::get_parallel_info();
    return info_buffer.c_str();
    MT_CATCH(nullptr)
}
