// Elementwise and linear-algebra operations, dispatched by a small operation code so that the
// exported surface stays small. The codes mirror MetaRl.Learning.Torch.Native.BinaryOp / UnaryOp.
#include "common.h"

MT_EXPORT mt_tensor mt_binary(int op, mt_tensor a, mt_tensor b) {
    MT_TRY
    switch (op) {
        case 0: return mt::wrap(at::add(*a, *b));
        case 1: return mt::wrap(at::sub(*a, *b));
        case 2: return mt::wrap(at::mul(*a, *b));
        case 3: return mt::wrap(at::div(*a, *b));
        case 4: return mt::wrap(at::matmul(*a, *b));
        default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
    }
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_sum_all(mt_tensor a) {
    MT_TRY
    return mt::wrap(a->sum());
    MT_CATCH(nullptr)
}
