// Functional building blocks of nn: every call takes its parameters explicitly, so adapted
// (inner-loop) parameters never mutate a module and higher-order gradients flow through them.
#include "common.h"

MT_EXPORT mt_tensor mt_linear(mt_tensor x, mt_tensor weight, mt_tensor bias) {
    MT_TRY
    return mt::wrap(bias ? at::linear(*x, *weight, *bias) : at::linear(*x, *weight));
    MT_CATCH(nullptr)
}

// Multi-layer GRU over a whole sequence. params: per layer w_ih, w_hh[, b_ih, b_hh].
MT_EXPORT int mt_gru(mt_tensor input, mt_tensor hx, const mt_tensor* params, int nparams, int has_biases,
                     int64_t num_layers, int batch_first, mt_tensor* output, mt_tensor* h_n) {
    MT_TRY
    auto p = mt::list(params, nparams);
    auto r = at::gru(*input, *hx, p, has_biases != 0, num_layers, 0.0, /*train=*/true, /*bidirectional=*/false,
                     batch_first != 0);
    *output = mt::wrap(std::get<0>(r));
    *h_n = mt::wrap(std::get<1>(r));
    return 0;
    MT_CATCH(-1)
}

MT_EXPORT mt_tensor mt_gru_cell(mt_tensor x, mt_tensor h, mt_tensor w_ih, mt_tensor w_hh, mt_tensor b_ih,
                                mt_tensor b_hh) {
    MT_TRY
    c10::optional<at::Tensor> bi = b_ih ? c10::optional<at::Tensor>(*b_ih) : c10::nullopt;
    c10::optional<at::Tensor> bh = b_hh ? c10::optional<at::Tensor>(*b_hh) : c10::nullopt;
    return mt::wrap(at::gru_cell(*x, *h, *w_ih, *w_hh, bi, bh));
    MT_CATCH(nullptr)
}

// reduction: 0 none, 1 mean, 2 sum
MT_EXPORT mt_tensor mt_mse_loss(mt_tensor input, mt_tensor target, int reduction) {
    MT_TRY
    return mt::wrap(at::mse_loss(*input, *target, reduction));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_bce_with_logits(mt_tensor logits, mt_tensor target, mt_tensor weight, int reduction) {
    MT_TRY
    c10::optional<at::Tensor> w = weight ? c10::optional<at::Tensor>(*weight) : c10::nullopt;
    return mt::wrap(at::binary_cross_entropy_with_logits(*logits, *target, w, c10::nullopt, reduction));
    MT_CATCH(nullptr)
}
