// Autograd: backward, gradients of outputs w.r.t. inputs (optionally keeping the graph for
// higher-order derivatives), and the per-thread grad mode.
#include "common.h"

MT_EXPORT int mt_backward(mt_tensor loss, int retain_graph) {
    MT_TRY
    loss->backward({}, retain_graph != 0, false);
    return 0;
    MT_CATCH(-1)
}

// The accumulated .grad of a leaf, or NULL with an empty error when it has none.
MT_EXPORT mt_tensor mt_grad_of(mt_tensor t) {
    MT_TRY
    const at::Tensor& g = t->grad();
    if (!g.defined()) {
        mt::set_error("");
        return nullptr;
    }
    return mt::wrap(g);
    MT_CATCH(nullptr)
}

// d(sum of outputs)/d(inputs). Writes one new handle per input into `results` (NULL where an input
// does not influence the outputs and allow_unused is set).
MT_EXPORT int mt_grad(const mt_tensor* outputs, int n_outputs, const mt_tensor* inputs, int n_inputs,
                      int create_graph, int retain_graph, int allow_unused, mt_tensor* results) {
    MT_TRY
    std::vector<at::Tensor> outs, ins;
    outs.reserve(n_outputs);
    ins.reserve(n_inputs);
    for (int i = 0; i < n_outputs; i++) outs.push_back(*outputs[i]);
    for (int i = 0; i < n_inputs; i++) ins.push_back(*inputs[i]);
    auto grads = torch::autograd::grad(outs, ins, {}, retain_graph != 0 || create_graph != 0, create_graph != 0,
                                       allow_unused != 0);
    for (int i = 0; i < n_inputs; i++) results[i] = grads[i].defined() ? mt::wrap(grads[i]) : nullptr;
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT int mt_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
MT_EXPORT void mt_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }
