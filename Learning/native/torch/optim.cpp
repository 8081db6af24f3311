// Optimizer steps and in-place updates, one call per parameter (no interpreter between the ops).
// All run without recording autograd history.
#include "common.h"

// Adam (Kingma & Ba, with PyTorch's bias correction and L2 weight decay added to the gradient).
MT_EXPORT int mt_adam_step(mt_tensor param, mt_tensor grad, mt_tensor exp_avg, mt_tensor exp_avg_sq, int64_t step,
                           double lr, double beta1, double beta2, double eps, double weight_decay) {
    MT_TRY
    at::NoGradGuard no_grad;
    at::Tensor g = *grad;
    if (weight_decay != 0) g = g.add(*param, weight_decay);
    exp_avg->mul_(beta1).add_(g, 1 - beta1);
    exp_avg_sq->mul_(beta2).addcmul_(g, g, 1 - beta2);
    double bias1 = 1 - std::pow(beta1, (double)step);
    double bias2 = 1 - std::pow(beta2, (double)step);
    at::Tensor denom = (exp_avg_sq->sqrt() / std::sqrt(bias2)).add_(eps);
    param->addcdiv_(*exp_avg, denom, -lr / bias1);
    return 0;
    MT_CATCH(-1)
}

// SGD with optional momentum (PyTorch semantics; momentum_buf may be NULL when momentum == 0).
MT_EXPORT int mt_sgd_step(mt_tensor param, mt_tensor grad, mt_tensor momentum_buf, int first_step, double lr,
                          double momentum, double dampening, double weight_decay, int nesterov) {
    MT_TRY
    at::NoGradGuard no_grad;
    at::Tensor d = *grad;
    if (weight_decay != 0) d = d.add(*param, weight_decay);
    if (momentum != 0) {
        if (!momentum_buf) throw std::invalid_argument("momentum needs a buffer");
        if (first_step) momentum_buf->copy_(d);
        else momentum_buf->mul_(momentum).add_(d, 1 - dampening);
        d = nesterov ? d.add(*momentum_buf, momentum) : *momentum_buf;
    }
    param->add_(d, -lr);
    return 0;
    MT_CATCH(-1)
}

// op: 0 copy_(b), 1 add_(b * alpha), 2 mul_(b)
MT_EXPORT int mt_inplace(int op, mt_tensor a, mt_tensor b, double alpha) {
    MT_TRY
    at::NoGradGuard no_grad;
    switch (op) {
        case 0: a->copy_(*b); break;
        case 1: a->add_(*b, alpha); break;
        case 2: a->mul_(*b); break;
        default: throw std::invalid_argument("unknown in-place op " + std::to_string(op));
    }
    return 0;
    MT_CATCH(-1)
}

// op: 0 fill_(s), 1 mul_(s), 2 add_(s), 3 zero_()
MT_EXPORT int mt_inplace_scalar(int op, mt_tensor a, double s) {
    MT_TRY
    at::NoGradGuard no_grad;
    switch (op) {
        case 0: a->fill_(s); break;
        case 1: a->mul_(s); break;
        case 2: a->add_(s); break;
        case 3: a->zero_(); break;
        default: throw std::invalid_argument("unknown in-place scalar op " + std::to_string(op));
    }
    return 0;
    MT_CATCH(-1)
}
