// A fused single-layer GRU for context encoders (MQL's actor and critic each run one over every
// minibatch). libtorch's CPU GRU is a chain of small ops per time step, each recorded by autograd;
// here the input projection of all steps is one GEMM, each step is one GEMM plus one elementwise
// pass, and the backward pass is written out (BPTT), with the weight gradients as three GEMMs.
// Gate layout and equations are PyTorch's: r, z, n = σ(i_r+h_r), σ(i_z+h_z), tanh(i_n + r⊙h_n);
// h' = (1−z)⊙n + z⊙h. First-order gradients only: a higher-order request is refused with a clear
// error (use the unfused GRU for that).
#include "common.h"
#include <torch/csrc/autograd/custom_function.h>

namespace {
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Forward step, split around the transcendental functions so that those run through ATen's
// vectorised kernels (sigmoid_, tanh_) and the arithmetic in between stays in plain loops that the
// compiler vectorises. gi, gh: [B, 3H] (gi includes b_ih, gh includes b_hh); rz: [B, 2H] (r | z).
template <typename T>
void gates_rz_pre(int64_t B, int64_t H, const T* gi, const T* gh, T* rz) {
    for (int64_t b = 0; b < B; b++)
        for (int64_t j = 0; j < 2 * H; j++) rz[b * 2 * H + j] = gi[b * 3 * H + j] + gh[b * 3 * H + j];
}

template <typename T>
void gate_n_pre(int64_t B, int64_t H, const T* gi, const T* gh, const T* rz, T* n, T* hn) {
    for (int64_t b = 0; b < B; b++)
        for (int64_t j = 0; j < H; j++) {
            T h_n = gh[b * 3 * H + 2 * H + j];
            hn[b * H + j] = h_n;
            n[b * H + j] = gi[b * 3 * H + 2 * H + j] + rz[b * 2 * H + j] * h_n;
        }
}

template <typename T>
void hidden_update(int64_t B, int64_t H, const T* rz, const T* n, const T* h, T* h_out) {
    for (int64_t b = 0; b < B; b++)
        for (int64_t j = 0; j < H; j++) {
            T z = rz[b * 2 * H + H + j];
            int64_t k = b * H + j;
            h_out[k] = n[k] + z * (h[k] - n[k]);
        }
}

// One backward step, elementwise. dh: gradient w.r.t. h_t (in), writes di, dgh ([B, 3H]) and the
// direct part of the gradient w.r.t. h_{t-1} (dh_prev = dh ⊙ z; the GEMM part is added later).
template <typename T>
void step_backward(int64_t B, int64_t H, const T* dh, const T* h_prev, const T* rz_s, const T* n_s, const T* hn_s,
                   T* di, T* dgh, T* dh_prev) {
    for (int64_t b = 0; b < B; b++) {
        T* dib = di + b * 3 * H;
        T* dghb = dgh + b * 3 * H;
        for (int64_t j = 0; j < H; j++) {
            int64_t k = b * H + j;
            T r = rz_s[b * 2 * H + j], z = rz_s[b * 2 * H + H + j], n = n_s[k], hn = hn_s[k], g = dh[k];
            T dn_pre = g * (T(1) - z) * (T(1) - n * n);
            T dz_pre = g * (h_prev[k] - n) * z * (T(1) - z);
            T dr_pre = dn_pre * hn * r * (T(1) - r);
            dib[j] = dr_pre;
            dib[H + j] = dz_pre;
            dib[2 * H + j] = dn_pre;
            dghb[j] = dr_pre;
            dghb[H + j] = dz_pre;
            dghb[2 * H + j] = dn_pre * r;
            dh_prev[k] = g * z;
        }
    }
}

struct FusedGru : public torch::autograd::Function<FusedGru> {
    // x: [T, B, I] contiguous; h0: [B, H]. Returns output [T, B, H] and h_T [B, H].
    static variable_list forward(AutogradContext* ctx, at::Tensor x, at::Tensor h0, at::Tensor w_ih, at::Tensor w_hh,
                                 at::Tensor b_ih, at::Tensor b_hh) {
        at::NoGradGuard no_grad;
        const int64_t T = x.size(0), B = x.size(1), H = h0.size(1);
        at::Tensor gi_all = at::addmm(b_ih, x.reshape({T * B, x.size(2)}), w_ih.t()).view({T, B, 3 * H});
        at::Tensor out = at::empty({T, B, H}, x.options());
        at::Tensor rz_s = at::empty({T, B, 2 * H}, x.options());
        at::Tensor n_s = at::empty({T, B, H}, x.options()), hn_s = at::empty_like(n_s);
        at::Tensor w_hh_t = w_hh.t();
        at::Tensor h = h0.contiguous();
        at::Tensor gh = at::empty({B, 3 * H}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "fused_gru_forward", [&] {
            // Per-step slices by pointer arithmetic: a select() per buffer per step would cost more
            // dispatcher time than the elementwise work it frames.
            const scalar_t* gi = gi_all.data_ptr<scalar_t>();
            scalar_t* rz = rz_s.data_ptr<scalar_t>();
            scalar_t* n = n_s.data_ptr<scalar_t>();
            scalar_t* hn = hn_s.data_ptr<scalar_t>();
            scalar_t* o = out.data_ptr<scalar_t>();
            const scalar_t* h_prev = h.data_ptr<scalar_t>();
            for (int64_t t = 0; t < T; t++) {
                at::addmm_out(gh, b_hh, t == 0 ? h : out[t - 1], w_hh_t);
                const scalar_t* ghp = gh.data_ptr<scalar_t>();
                gates_rz_pre<scalar_t>(B, H, gi, ghp, rz);
                rz_s[t].sigmoid_();
                gate_n_pre<scalar_t>(B, H, gi, ghp, rz, n, hn);
                n_s[t].tanh_();
                hidden_update<scalar_t>(B, H, rz, n, h_prev, o);
                h_prev = o;
                gi += B * 3 * H;
                rz += B * 2 * H;
                n += B * H;
                hn += B * H;
                o += B * H;
            }
        });
        ctx->save_for_backward({x, h0, w_ih, w_hh, out, rz_s, n_s, hn_s});
        return {out, out[T - 1].clone()};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        if (c10::GradMode::is_enabled())
            throw std::runtime_error(
                "the fused GRU has first-order gradients only; use the unfused GRU (fused: false) for higher-order "
                "gradients");
        auto saved = ctx->get_saved_variables();
        at::Tensor x = saved[0], h0 = saved[1], w_ih = saved[2], w_hh = saved[3], out = saved[4], rz_s = saved[5],
                   n_s = saved[6], hn_s = saved[7];
        const int64_t T = x.size(0), B = x.size(1), H = h0.size(1);
        at::Tensor d_out = grads[0].defined() ? grads[0].contiguous() : at::zeros_like(out);
        at::Tensor dh = grads[1].defined() ? grads[1].clone().contiguous() : at::zeros({B, H}, x.options());
        at::Tensor di_all = at::empty({T, B, 3 * H}, x.options()), dgh_all = at::empty_like(di_all);
        at::Tensor dh_prev = at::empty({B, H}, x.options());
        at::Tensor h0c = h0.contiguous();
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "fused_gru_backward", [&] {
            const int64_t step3 = B * 3 * H, step2 = B * 2 * H, step1 = B * H;
            const scalar_t* d_o = d_out.data_ptr<scalar_t>();
            const scalar_t* o = out.data_ptr<scalar_t>();
            const scalar_t* h0p = h0c.data_ptr<scalar_t>();
            const scalar_t* rz = rz_s.data_ptr<scalar_t>();
            const scalar_t* n = n_s.data_ptr<scalar_t>();
            const scalar_t* hn = hn_s.data_ptr<scalar_t>();
            scalar_t* di = di_all.data_ptr<scalar_t>();
            scalar_t* dg = dgh_all.data_ptr<scalar_t>();
            scalar_t* dhp = dh.data_ptr<scalar_t>();
            for (int64_t t = T - 1; t >= 0; t--) {
                for (int64_t k = 0; k < step1; k++) dhp[k] += d_o[t * step1 + k];
                const scalar_t* h_prev = t == 0 ? h0p : o + (t - 1) * step1;
                step_backward<scalar_t>(B, H, dhp, h_prev, rz + t * step2, n + t * step1, hn + t * step1,
                                        di + t * step3, dg + t * step3, dh_prev.data_ptr<scalar_t>());
                at::addmm_out(dh, dh_prev, dgh_all[t], w_hh);  // dh_{t-1} = dh⊙z + dgh·W_hh
            }
        });
        at::Tensor h_prevs = at::cat({h0c.unsqueeze(0), out.narrow(0, 0, T - 1)}, 0).reshape({T * B, H});
        at::Tensor di2 = di_all.view({T * B, 3 * H}), dgh2 = dgh_all.view({T * B, 3 * H});
        at::Tensor dx = at::mm(di2, w_ih).view(x.sizes());
        at::Tensor dw_ih = at::mm(di2.t(), x.reshape({T * B, x.size(2)}));
        at::Tensor dw_hh = at::mm(dgh2.t(), h_prevs);
        return {dx, dh, dw_ih, dw_hh, di2.sum(0), dgh2.sum(0)};
    }
};
}  // namespace

// input: [T, B, I] (or [B, T, I] when batch_first), h0: [B, H]. Output in the input's layout and h_T [B, H].
MT_EXPORT int mt_gru_fused(mt_tensor input, mt_tensor h0, mt_tensor w_ih, mt_tensor w_hh, mt_tensor b_ih, mt_tensor b_hh,
                           int batch_first, mt_tensor* output, mt_tensor* h_n) {
    MT_TRY
    at::Tensor x = batch_first ? input->transpose(0, 1) : *input;
    if (x.dim() != 3) throw std::invalid_argument("fused GRU input must be 3-D");
    if (h0->dim() != 2 || h0->size(0) != x.size(1))
        throw std::invalid_argument("fused GRU h0 must be [batch, hidden] with the input's batch size");
    if (!x.device().is_cpu()) throw std::invalid_argument("the fused GRU runs on the CPU only");
    if (x.size(0) == 0) throw std::invalid_argument("fused GRU input has no time steps");
    if (w_ih->size(0) != 3 * h0->size(1) || w_ih->size(1) != x.size(2) || w_hh->size(0) != 3 * h0->size(1) ||
        w_hh->size(1) != h0->size(1))
        throw std::invalid_argument("fused GRU weight shapes do not match input and hidden sizes");
    auto r = FusedGru::apply(x.contiguous(), *h0, *w_ih, *w_hh, *b_ih, *b_hh);
    *output = mt::wrap(batch_first ? r[0].transpose(0, 1) : r[0]);
    *h_n = mt::wrap(r[1]);
    return 0;
    MT_CATCH(-1)
}
