// Tensor lifetime, creation from host memory, copies back, and metadata.
#include "common.h"

namespace {
at::ScalarType scalar_type(int dtype) {
    switch (dtype) {
        case 0: return at::kFloat;
        case 1: return at::kDouble;
        case 2: return at::kLong;
        case 3: return at::kBool;
        case 4: return at::kInt;
        default: throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
    }
}

int dtype_code(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return 0;
        case at::kDouble: return 1;
        case at::kLong: return 2;
        case at::kBool: return 3;
        case at::kInt: return 4;
        default: return -1;
    }
}
}  // namespace

MT_EXPORT void mt_free(mt_tensor t) { delete t; }

// Copies `data` (numel elements of `dtype`, row-major) into a new CPU tensor, then moves it to
// `device` (0 = cpu, 1 = cuda).
MT_EXPORT mt_tensor mt_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int device,
                                 int requires_grad) {
    MT_TRY
    auto options = at::TensorOptions().dtype(scalar_type(dtype));
    at::Tensor t = at::empty(mt::dims(shape, ndim), options);
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, (size_t)t.numel() * t.element_size());
    if (device == 1) t = t.to(at::kCUDA);
    if (requires_grad) t.set_requires_grad(true);
    return mt::wrap(std::move(t));
    MT_CATCH(nullptr)
}

// Copies the tensor's elements (converted to `dtype`) into `dst`, which holds `capacity` elements.
MT_EXPORT int mt_copy_to(mt_tensor t, void* dst, int64_t capacity, int dtype) {
    MT_TRY
    at::NoGradGuard no_grad;
    at::Tensor c = t->detach().to(at::kCPU, scalar_type(dtype)).contiguous();
    if (c.numel() > capacity)
        throw std::invalid_argument("destination holds " + std::to_string(capacity) + " elements, tensor has " +
                                    std::to_string(c.numel()));
    if (c.numel() > 0) std::memcpy(dst, c.data_ptr(), (size_t)c.numel() * c.element_size());
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT int mt_ndim(mt_tensor t) { return (int)t->dim(); }

MT_EXPORT int mt_shape(mt_tensor t, int64_t* dst, int capacity) {
    MT_TRY
    if (capacity < t->dim()) throw std::invalid_argument("shape buffer too small");
    for (int64_t i = 0; i < t->dim(); i++) dst[i] = t->size(i);
    return (int)t->dim();
    MT_CATCH(-1)
}

MT_EXPORT int64_t mt_numel(mt_tensor t) { return t->numel(); }
MT_EXPORT int mt_dtype(mt_tensor t) { return dtype_code(t->scalar_type()); }
MT_EXPORT int mt_device(mt_tensor t) { return t->is_cuda() ? 1 : 0; }
MT_EXPORT int mt_requires_grad(mt_tensor t) { return t->requires_grad() ? 1 : 0; }

MT_EXPORT int mt_set_requires_grad(mt_tensor t, int flag) {
    MT_TRY
    t->set_requires_grad(flag != 0);
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT mt_tensor mt_detach(mt_tensor t) {
    MT_TRY
    return mt::wrap(t->detach());
    MT_CATCH(nullptr)
}

MT_EXPORT double mt_item(mt_tensor t) {
    MT_TRY
    return t->item<double>();
    MT_CATCH(std::numeric_limits<double>::quiet_NaN())
}
