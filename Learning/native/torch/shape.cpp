// Views, reshaping, indexing and joining.
#include "common.h"

MT_EXPORT mt_tensor mt_reshape(mt_tensor a, const int64_t* shape, int ndim) {
    MT_TRY
    return mt::wrap(a->reshape(mt::dims(shape, ndim)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_view(mt_tensor a, const int64_t* shape, int ndim) {
    MT_TRY
    return mt::wrap(a->view(mt::dims(shape, ndim)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_expand(mt_tensor a, const int64_t* shape, int ndim) {
    MT_TRY
    return mt::wrap(a->expand(mt::dims(shape, ndim)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_repeat(mt_tensor a, const int64_t* repeats, int n) {
    MT_TRY
    return mt::wrap(a->repeat(mt::dims(repeats, n)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_permute(mt_tensor a, const int64_t* dims, int n) {
    MT_TRY
    return mt::wrap(a->permute(mt::dims(dims, n)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_transpose(mt_tensor a, int64_t d0, int64_t d1) {
    MT_TRY
    return mt::wrap(a->transpose(d0, d1));
    MT_CATCH(nullptr)
}

// all != 0 squeezes every size-1 dimension, otherwise only `dim`.
MT_EXPORT mt_tensor mt_squeeze(mt_tensor a, int64_t dim, int all) {
    MT_TRY
    return mt::wrap(all ? a->squeeze() : a->squeeze(dim));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_unsqueeze(mt_tensor a, int64_t dim) {
    MT_TRY
    return mt::wrap(a->unsqueeze(dim));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_flatten(mt_tensor a, int64_t start, int64_t end) {
    MT_TRY
    return mt::wrap(a->flatten(start, end));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_slice(mt_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step) {
    MT_TRY
    return mt::wrap(a->slice(dim, start, end, step));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_narrow(mt_tensor a, int64_t dim, int64_t start, int64_t length) {
    MT_TRY
    return mt::wrap(a->narrow(dim, start, length));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_select(mt_tensor a, int64_t dim, int64_t index) {
    MT_TRY
    return mt::wrap(a->select(dim, index));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_index_select(mt_tensor a, int64_t dim, mt_tensor index) {
    MT_TRY
    return mt::wrap(at::index_select(*a, dim, *index));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_gather(mt_tensor a, int64_t dim, mt_tensor index) {
    MT_TRY
    return mt::wrap(at::gather(*a, dim, *index));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_scatter_add(mt_tensor a, int64_t dim, mt_tensor index, mt_tensor src) {
    MT_TRY
    return mt::wrap(at::scatter_add(*a, dim, *index, *src));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_masked_select(mt_tensor a, mt_tensor mask) {
    MT_TRY
    return mt::wrap(at::masked_select(*a, *mask));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_cat(const mt_tensor* tensors, int n, int64_t dim) {
    MT_TRY
    return mt::wrap(at::cat(mt::list(tensors, n), dim));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_stack(const mt_tensor* tensors, int n, int64_t dim) {
    MT_TRY
    return mt::wrap(at::stack(mt::list(tensors, n), dim));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_flip(mt_tensor a, const int64_t* dims, int n) {
    MT_TRY
    return mt::wrap(at::flip(*a, mt::dims(dims, n)));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_one_hot(mt_tensor index, int64_t classes) {
    MT_TRY
    return mt::wrap(at::one_hot(*index, classes));
    MT_CATCH(nullptr)
}
