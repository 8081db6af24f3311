// Conventions shared by every exported function of the libtorch shim:
//  - tensors cross the boundary as owned heap handles (mt_tensor = at::Tensor*), freed by mt_free;
//  - functions returning a handle return NULL on failure, functions returning int return -1;
//  - the failure's message is kept per thread and read with mt_last_error();
//  - no C++ exception ever leaves the shim (one escaping into .NET aborts the process).
// Operation codes (unary, binary, reduction) are mirrored by enums in Learning/Torch/Native/OpCodes.cs.
#pragma once
#include "pch.h"

#define MT_EXPORT extern "C" __attribute__((visibility("default")))

typedef at::Tensor* mt_tensor;
typedef at::Generator* mt_generator;

namespace mt {
void set_error(const char* message);
void set_error(const std::string& message);
inline mt_tensor wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }
inline at::IntArrayRef dims(const int64_t* shape, int ndim) { return at::IntArrayRef(shape, (size_t)ndim); }
at::ScalarType scalar_type(int dtype);
int dtype_code(at::ScalarType t);
at::Device device(int code);
// ATen factories ignore TensorOptions::requires_grad (only torch:: ones honour it): callers set
// requires_grad on the result instead.
inline at::TensorOptions options(int dtype, int device_code) {
    return at::TensorOptions().dtype(scalar_type(dtype)).device(device(device_code));
}
std::vector<at::Tensor> list(const mt_tensor* tensors, int n);
// The generator to draw from: the given one, or libtorch's default CPU generator when NULL.
inline c10::optional<at::Generator> gen(mt_generator g) {
    return g ? c10::optional<at::Generator>(*g) : c10::nullopt;
}
}  // namespace mt

#define MT_TRY try {
#define MT_CATCH(failure)                                                  \
    }                                                                      \
    catch (const c10::Error& e) {                                          \
        mt::set_error(e.what_without_backtrace());                         \
        return failure;                                                    \
    }                                                                      \
    catch (const std::exception& e) {                                      \
        mt::set_error(e.what());                                           \
        return failure;                                                    \
    }                                                                      \
    catch (...) {                                                          \
        mt::set_error("unknown native error in the libtorch shim");        \
        return failure;                                                    \
    }
