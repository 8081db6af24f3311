// Random streams as objects: each run owns its generators, saves and restores their state, so a
// resumed run draws exactly the numbers an uninterrupted one would have. Sampling happens on the
// CPU generator and the result is moved to the requested device.
#include "common.h"

MT_EXPORT mt_generator mt_generator_new(uint64_t seed) {
    MT_TRY
    return new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed));
    MT_CATCH(nullptr)
}

MT_EXPORT void mt_generator_free(mt_generator g) { delete g; }

MT_EXPORT int mt_generator_set_seed(mt_generator g, uint64_t seed) {
    MT_TRY
    std::lock_guard<std::mutex> lock(g->mutex());
    g->set_current_seed(seed);
    return 0;
    MT_CATCH(-1)
}

// Writes the generator's state into `dst` when it fits; returns the state's size in bytes.
MT_EXPORT int64_t mt_generator_get_state(mt_generator g, uint8_t* dst, int64_t capacity) {
    MT_TRY
    std::lock_guard<std::mutex> lock(g->mutex());
    at::Tensor state = g->get_state();
    int64_t n = state.numel();
    if (dst && capacity >= n) std::memcpy(dst, state.data_ptr<uint8_t>(), (size_t)n);
    return n;
    MT_CATCH(-1)
}

MT_EXPORT int mt_generator_set_state(mt_generator g, const uint8_t* src, int64_t n) {
    MT_TRY
    at::Tensor state = at::empty({n}, at::TensorOptions().dtype(at::kByte));
    std::memcpy(state.data_ptr<uint8_t>(), src, (size_t)n);
    std::lock_guard<std::mutex> lock(g->mutex());
    g->set_state(state);
    return 0;
    MT_CATCH(-1)
}

namespace {
at::Tensor on(at::Tensor t, int device) { return device == 0 ? t : t.to(mt::device(device)); }
}  // namespace

// kind: 0 uniform [low, high), 1 normal (mean=low, std=high)
MT_EXPORT mt_tensor mt_random(int kind, const int64_t* shape, int ndim, double low, double high, mt_generator g,
                              int dtype, int device) {
    MT_TRY
    at::Tensor t = at::empty(mt::dims(shape, ndim), at::TensorOptions().dtype(mt::scalar_type(dtype)));
    if (kind == 0) t.uniform_(low, high, mt::gen(g));
    else if (kind == 1) t.normal_(low, high, mt::gen(g));
    else throw std::invalid_argument("unknown random kind " + std::to_string(kind));
    return mt::wrap(on(t, device));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, mt_generator g, int device) {
    MT_TRY
    return mt::wrap(on(at::randint(low, high, mt::dims(shape, ndim), mt::gen(g), at::TensorOptions().dtype(at::kLong)), device));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_randperm(int64_t n, mt_generator g, int device) {
    MT_TRY
    return mt::wrap(on(at::randperm(n, mt::gen(g), at::TensorOptions().dtype(at::kLong)), device));
    MT_CATCH(nullptr)
}

// Standard normal noise shaped like `like` (for reparameterised sampling), on its device.
MT_EXPORT mt_tensor mt_randn_like(mt_tensor like, mt_generator g) {
    MT_TRY
    at::Tensor t = at::empty(like->sizes(), at::TensorOptions().dtype(like->scalar_type()));
    t.normal_(0.0, 1.0, mt::gen(g));
    return mt::wrap(t.to(like->device()));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_multinomial(mt_tensor probs, int64_t samples, int replacement, mt_generator g) {
    MT_TRY
    at::Tensor p = probs->detach();
    if (!p.is_cpu()) p = p.cpu();
    return mt::wrap(at::multinomial(p, samples, replacement != 0, mt::gen(g)).to(probs->device()));
    MT_CATCH(nullptr)
}

MT_EXPORT mt_tensor mt_bernoulli(mt_tensor probs, mt_generator g) {
    MT_TRY
    at::Tensor p = probs->detach();
    if (!p.is_cpu()) p = p.cpu();
    return mt::wrap(at::bernoulli(p, mt::gen(g)).to(probs->device()));
    MT_CATCH(nullptr)
}

MT_EXPORT int mt_manual_seed(uint64_t seed) {
    MT_TRY
    at::manual_seed(seed);
    return 0;
    MT_CATCH(-1)
}
