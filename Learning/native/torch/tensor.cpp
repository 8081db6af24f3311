// Tensor lifetime, creation from host memory, copies back, and metadata.
#include "common.h"

at::ScalarType mt::scalar_type(int dtype) {
    switch (dtype) {
        case 0: return at::kFloat;
        case 1: return at::kDouble;
        case 2: return at::kLong;
        case 3: return at::kBool;
        case 4: return at::kInt;
        case 5: return at::kByte;
        default: throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
    }
}

int mt::dtype_code(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return 0;
        case at::kDouble: return 1;
        case at::kLong: return 2;
        case at::kBool: return 3;
        case at::kInt: return 4;
        case at::kByte: return 5;
        default: return -1;
    }
}

at::Device mt::device(int code) {
    switch (code) {
        case 0: return at::Device(at::kCPU);
        case 1:
            if (!at::hasCUDA()) throw std::invalid_argument("device cuda requested, but this libtorch build has no CUDA");
            return at::Device(at::kCUDA);
        default: throw std::invalid_argument("unknown device code " + std::to_string(code));
    }
}

std::vector<at::Tensor> mt::list(const mt_tensor* tensors, int n) {
    std::vector<at::Tensor> v;
    v.reserve(n);
    for (int i = 0; i < n; i++) v.push_back(*tensors[i]);
    return v;
}

MT_EXPORT void mt_free(mt_tensor t) { delete t; }

// Copies `data` (numel elements of `dtype`, row-major) into a new tensor on `device`.
MT_EXPORT mt_tensor mt_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int device,
                                 int requires_grad) {
    MT_TRY
    at::Tensor t = at::empty(mt::dims(shape, ndim), at::TensorOptions().dtype(mt::scalar_type(dtype)));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, (size_t)t.numel() * t.element_size());
    if (device != 0) t = t.to(mt::device(device));
    if (requires_grad) t.set_requires_grad(true);
    return mt::wrap(std::move(t));
    MT_CATCH(nullptr)
}

// Copies the tensor's elements (converted to `dtype`) into `dst`, which holds `capacity` elements.
MT_EXPORT int mt_copy_to(mt_tensor t, void* dst, int64_t capacity, int dtype) {
    MT_TRY
    at::NoGradGuard no_grad;
    at::Tensor c = t->detach();
    auto st = mt::scalar_type(dtype);
    if (!c.is_cpu()) c = c.to(at::kCPU);
    if (c.scalar_type() != st) c = c.to(st);
    c = c.contiguous();
    if (c.numel() > capacity)
        throw std::invalid_argument("destination holds " + std::to_string(capacity) + " elements, tensor has " +
                                    std::to_string(c.numel()));
    if (c.numel() > 0) std::memcpy(dst, c.data_ptr(), (size_t)c.numel() * c.element_size());
    return 0;
    MT_CATCH(-1)
}

// Overwrites the tensor's elements in place from host memory (shape unchanged).
MT_EXPORT int mt_copy_from(mt_tensor t, const void* src, int64_t count, int dtype) {
    MT_TRY
    at::NoGradGuard no_grad;
    if (count != t->numel())
        throw std::invalid_argument("source has " + std::to_string(count) + " elements, tensor has " +
                                    std::to_string(t->numel()));
    at::Tensor host = at::empty(t->sizes(), at::TensorOptions().dtype(mt::scalar_type(dtype)));
    if (count > 0) std::memcpy(host.data_ptr(), src, (size_t)count * host.element_size());
    t->copy_(host);
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

MT_EXPORT int64_t mt_size(mt_tensor t, int64_t dim) {
    MT_TRY
    return t->size(dim);
    MT_CATCH(-1)
}

MT_EXPORT int64_t mt_numel(mt_tensor t) { return t->numel(); }
MT_EXPORT int mt_dtype(mt_tensor t) { return mt::dtype_code(t->scalar_type()); }
MT_EXPORT int mt_device(mt_tensor t) { return t->is_cuda() ? 1 : 0; }
MT_EXPORT int mt_requires_grad(mt_tensor t) { return t->requires_grad() ? 1 : 0; }
MT_EXPORT int mt_is_leaf(mt_tensor t) { return t->is_leaf() ? 1 : 0; }

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

// A second handle to the same tensor (shares storage and autograd identity).
MT_EXPORT mt_tensor mt_alias(mt_tensor t) {
    MT_TRY
    return mt::wrap(*t);
    MT_CATCH(nullptr)
}

MT_EXPORT int mt_item(mt_tensor t, double* value) {
    MT_TRY
    *value = t->item<double>();
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT mt_tensor mt_to(mt_tensor t, int dtype, int device) {
    MT_TRY
    return mt::wrap(t->to(mt::device(device), mt::scalar_type(dtype)));
    MT_CATCH(nullptr)
}
