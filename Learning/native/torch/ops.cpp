// Elementwise operations, dispatched by operation code so the exported surface stays small.
// Codes mirror MetaRl.Learning.Torch.Native.UnaryOp / BinaryOp / ScalarOp.
#include "common.h"

namespace {
at::Tensor unary(int op, const at::Tensor& a) {
    switch (op) {
        case 0: return at::neg(a);
        case 1: return at::exp(a);
        case 2: return at::log(a);
        case 3: return at::tanh(a);
        case 4: return at::relu(a);
        case 5: return at::sigmoid(a);
        case 6: return at::softplus(a);
        case 7: return at::sqrt(a);
        case 8: return at::abs(a);
        case 9: return at::square(a);
        case 10: return at::sin(a);
        case 11: return at::cos(a);
        case 12: return at::log1p(a);
        case 13: return at::reciprocal(a);
        case 14: return at::sign(a);
        case 15: return at::floor(a);
        case 16: return at::logical_not(a);
        case 17: return at::rsqrt(a);
        case 18: return at::expm1(a);
        case 19: return at::log_sigmoid(a);
        case 20: return at::erf(a);
        case 21: return at::lgamma(a);
        case 22: return at::digamma(a);
        case 23: return at::ceil(a);
        case 24: return at::round(a);
        case 25: return at::isnan(a);
        case 26: return at::isfinite(a);
        case 27: return a.clone();
        case 28: return a.contiguous();
        case 29: return at::atanh(a);
        default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
    }
}

at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
    switch (op) {
        case 0: return at::add(a, b);
        case 1: return at::sub(a, b);
        case 2: return at::mul(a, b);
        case 3: return at::div(a, b);
        case 4: return at::matmul(a, b);
        case 5: return at::pow(a, b);
        case 6: return at::maximum(a, b);
        case 7: return at::minimum(a, b);
        case 8: return at::eq(a, b);
        case 9: return at::ne(a, b);
        case 10: return at::lt(a, b);
        case 11: return at::le(a, b);
        case 12: return at::gt(a, b);
        case 13: return at::ge(a, b);
        case 14: return at::logical_and(a, b);
        case 15: return at::logical_or(a, b);
        case 16: return at::atan2(a, b);
        case 17: return at::remainder(a, b);
        default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
    }
}

at::Tensor scalar(int op, const at::Tensor& a, double s) {
    switch (op) {
        case 0: return at::add(a, s);
        case 1: return at::sub(a, s);
        case 2: return at::mul(a, s);
        case 3: return at::div(a, s);
        case 5: return at::pow(a, s);
        case 6: return at::clamp_min(a, s);
        case 7: return at::clamp_max(a, s);
        case 8: return at::eq(a, s);
        case 9: return at::ne(a, s);
        case 10: return at::lt(a, s);
        case 11: return at::le(a, s);
        case 12: return at::gt(a, s);
        case 13: return at::ge(a, s);
        case 17: return at::remainder(a, s);
        case 20: return at::rsub(a, s);                 // s - a
        case 21: return at::mul(at::reciprocal(a), s);  // s / a
        case 22: return at::pow(s, a);                  // s ^ a
        default: throw std::invalid_argument("unknown scalar op " + std::to_string(op));
    }
}
}  // namespace

MT_EXPORT mt_tensor mt_unary(int op, mt_tensor a) {
    MT_TRY
    return mt::wrap(unary(op, *a));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_binary(int op, mt_tensor a, mt_tensor b) {
    MT_TRY
    return mt::wrap(binary(op, *a, *b));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_scalar_op(int op, mt_tensor a, double s) {
    MT_TRY
    return mt::wrap(scalar(op, *a, s));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_clamp(mt_tensor a, double min, double max, int has_min, int has_max) {
    MT_TRY
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return mt::wrap(at::clamp(*a, lo, hi));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_where(mt_tensor condition, mt_tensor a, mt_tensor b) {
    MT_TRY
    return mt::wrap(at::where(*condition, *a, *b));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_masked_fill(mt_tensor a, mt_tensor mask, double value) {
    MT_TRY
    return mt::wrap(a->masked_fill(*mask, value));
    MT_CATCH(nullptr)
}

// op: 0 softmax, 1 log_softmax, 2 cumsum, 3 cumprod
MT_EXPORT mt_tensor mt_dim_op(int op, mt_tensor a, int64_t dim) {
    MT_TRY
    switch (op) {
        case 0: return mt::wrap(at::softmax(*a, dim));
        case 1: return mt::wrap(at::log_softmax(*a, dim));
        case 2: return mt::wrap(at::cumsum(*a, dim));
        case 3: return mt::wrap(at::cumprod(*a, dim));
        default: throw std::invalid_argument("unknown dim op " + std::to_string(op));
    }
    MT_CATCH(nullptr)
}

// a + alpha * b * c   (addcmul), fused for surrogate losses and optimizers.
MT_EXPORT mt_tensor mt_addcmul(mt_tensor a, mt_tensor b, mt_tensor c, double alpha) {
    MT_TRY
    return mt::wrap(at::addcmul(*a, *b, *c, alpha));
    MT_CATCH(nullptr)
}

// beta * a + alpha * (b @ c)
MT_EXPORT mt_tensor mt_addmm(mt_tensor a, mt_tensor b, mt_tensor c, double beta, double alpha) {
    MT_TRY
    return mt::wrap(at::addmm(*a, *b, *c, beta, alpha));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_dot(mt_tensor a, mt_tensor b) {
    MT_TRY
    return mt::wrap(at::dot(*a, *b));
    MT_CATCH(nullptr)
}
