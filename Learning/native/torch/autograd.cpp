// Autograd: backward, gradients of outputs w.r.t. inputs (optionally keeping the graph for
// higher-order derivatives), .grad access, and the per-thread grad mode.
#include "common.h"

MT_EXPORT int mt_backward(mt_tensor loss, mt_tensor grad_output, int retain_graph, int create_graph) {
    MT_TRY
    at::Tensor g = grad_output ? *grad_output : at::Tensor();
    loss->backward(g, retain_graph != 0, create_graph != 0);
    return 0;
    MT_CATCH(-1)
}

// The accumulated .grad of a tensor into *out (NULL when it has none). 0 on success, -1 on failure.
MT_EXPORT int mt_grad_of(mt_tensor t, mt_tensor* out) {
    MT_TRY
    const at::Tensor& g = t->grad();
    *out = g.defined() ? mt::wrap(g) : nullptr;
    return 0;
    MT_CATCH(-1)
}

// Sets .grad (NULL clears it, which is what zero_grad(set_to_none=True) does).
MT_EXPORT int mt_set_grad(mt_tensor t, mt_tensor g) {
    MT_TRY
    t->mutable_grad() = g ? *g : at::Tensor();
    return 0;
    MT_CATCH(-1)
}

// d(outputs)/d(inputs), weighted by grad_outputs when given (else ones). Writes one new handle per
// input into `results` (NULL where an input does not influence the outputs and allow_unused is set).
MT_EXPORT int mt_grad(const mt_tensor* outputs, int n_outputs, const mt_tensor* grad_outputs, const mt_tensor* inputs,
                      int n_inputs, int create_graph, int retain_graph, int allow_unused, mt_tensor* results) {
    MT_TRY
    auto outs = mt::list(outputs, n_outputs);
    auto ins = mt::list(inputs, n_inputs);
    std::vector<at::Tensor> gouts;
    if (grad_outputs) gouts = mt::list(grad_outputs, n_outputs);
    auto grads = torch::autograd::grad(outs, ins, gouts, retain_graph != 0 || create_graph != 0, create_graph != 0,
                                       allow_unused != 0);
    for (int i = 0; i < n_inputs; i++) results[i] = grads[i].defined() ? mt::wrap(grads[i]) : nullptr;
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT int mt_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
MT_EXPORT void mt_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }
