// Factories: constants, ranges, identity.
#include "common.h"

MT_EXPORT mt_tensor mt_full(const int64_t* shape, int ndim, double value, int dtype, int device, int requires_grad) {
    MT_TRY
    at::Tensor t = at::full(mt::dims(shape, ndim), value, mt::options(dtype, device));
    if (requires_grad) t.set_requires_grad(true);
    return mt::wrap(std::move(t));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_arange(double start, double end, double step, int dtype, int device) {
    MT_TRY
    return mt::wrap(at::arange(start, end, step, mt::options(dtype, device)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_linspace(double start, double end, int64_t steps, int dtype, int device) {
    MT_TRY
    return mt::wrap(at::linspace(start, end, steps, mt::options(dtype, device)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_eye(int64_t n, int dtype, int device) {
    MT_TRY
    return mt::wrap(at::eye(n, mt::options(dtype, device)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_full_like(mt_tensor a, double value) {
    MT_TRY
    return mt::wrap(at::full_like(*a, value));
    MT_CATCH(nullptr)
}
