// Reductions, sorting and quantiles.
#include "common.h"

// op: 0 sum, 1 mean, 2 amax, 3 amin, 4 logsumexp, 5 prod (one dim), 6 std, 7 var, 8 norm (L2)
// ndims == 0 reduces over every dimension.
MT_EXPORT mt_tensor mt_reduce(int op, mt_tensor a, const int64_t* dims, int ndims, int keepdim) {
    MT_TRY
    const at::Tensor& t = *a;
    bool keep = keepdim != 0;
    std::vector<int64_t> all;
    if (ndims == 0) {
        for (int64_t i = 0; i < t.dim(); i++) all.push_back(i);
    } else {
        all.assign(dims, dims + ndims);
    }
    at::IntArrayRef d(all);
    switch (op) {
        case 0: return mt::wrap(ndims == 0 && !keep ? t.sum() : t.sum(d, keep));
        case 1: return mt::wrap(ndims == 0 && !keep ? t.mean() : t.mean(d, keep));
        case 2: return mt::wrap(t.dim() == 0 ? t.clone() : at::amax(t, d, keep));
        case 3: return mt::wrap(t.dim() == 0 ? t.clone() : at::amin(t, d, keep));
        case 4: return mt::wrap(at::logsumexp(t, d, keep));
        case 5:
            if (ndims == 0 && !keep) return mt::wrap(t.prod());
            if (ndims != 1) throw std::invalid_argument("prod reduces over one dimension or all of them");
            return mt::wrap(t.prod(dims[0], keep));
        case 6: return mt::wrap(at::std(t, at::OptionalIntArrayRef(d), /*unbiased=*/true, keep));
        case 7: return mt::wrap(at::var(t, at::OptionalIntArrayRef(d), /*unbiased=*/true, keep));
        case 8: return mt::wrap(at::norm(t, 2, d, keep));
        default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
    }
    MT_CATCH(nullptr)
}

// op: 0 max, 1 min along `dim`, returning values and indices.
MT_EXPORT int mt_max_min_dim(int op, mt_tensor a, int64_t dim, int keepdim, mt_tensor* values, mt_tensor* indices) {
    MT_TRY
    auto r = op == 0 ? at::max(*a, dim, keepdim != 0) : at::min(*a, dim, keepdim != 0);
    *values = mt::wrap(std::get<0>(r));
    *indices = mt::wrap(std::get<1>(r));
    return 0;
    MT_CATCH(-1)
}

// op: 0 argmax, 1 argmin
MT_EXPORT mt_tensor mt_arg_extreme(int op, mt_tensor a, int64_t dim, int keepdim) {
    MT_TRY
    return mt::wrap(op == 0 ? at::argmax(*a, dim, keepdim != 0) : at::argmin(*a, dim, keepdim != 0));
    MT_CATCH(nullptr)
}

MT_EXPORT int mt_sort(mt_tensor a, int64_t dim, int descending, int stable, mt_tensor* values, mt_tensor* indices) {
    MT_TRY
    auto r = at::sort(*a, c10::optional<bool>(stable != 0), dim, descending != 0);
    *values = mt::wrap(std::get<0>(r));
    *indices = mt::wrap(std::get<1>(r));
    return 0;
    MT_CATCH(-1)
}

// interpolation: 0 linear, 1 lower, 2 higher, 3 midpoint, 4 nearest
MT_EXPORT mt_tensor mt_quantile(mt_tensor a, double q, int64_t dim, int has_dim, int keepdim, int interpolation) {
    MT_TRY
    static const char* modes[] = {"linear", "lower", "higher", "midpoint", "nearest"};
    if (interpolation < 0 || interpolation > 4) throw std::invalid_argument("unknown interpolation");
    c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
    return mt::wrap(at::quantile(*a, q, d, keepdim != 0, modes[interpolation]));
    MT_CATCH(nullptr)
}

MT_EXPORT int mt_topk(mt_tensor a, int64_t k, int64_t dim, int largest, mt_tensor* values, mt_tensor* indices) {
    MT_TRY
    auto r = at::topk(*a, k, dim, largest != 0, true);
    *values = mt::wrap(std::get<0>(r));
    *indices = mt::wrap(std::get<1>(r));
    return 0;
    MT_CATCH(-1)
}
