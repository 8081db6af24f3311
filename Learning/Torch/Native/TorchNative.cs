using System.Runtime.InteropServices;

namespace MetaRl.Learning.Torch.Native;

/// <summary>
/// P/Invoke surface of libmetarl_torch (Learning/native/torch). Handle-returning functions return
/// zero on failure and int-returning ones -1; the message is read with <see cref="mt_last_error"/>.
/// Nothing outside Learning/Torch calls these directly.
/// </summary>
internal static unsafe partial class TorchNative
{
    private const string Lib = "metarl_torch";

    // errors and runtime facts
    [LibraryImport(Lib)] internal static partial IntPtr mt_last_error();
    [LibraryImport(Lib)] internal static partial void mt_clear_error();
    [LibraryImport(Lib)] internal static partial IntPtr mt_version();
    [LibraryImport(Lib)] internal static partial int mt_get_num_threads();
    [LibraryImport(Lib)] internal static partial int mt_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int mt_cuda_is_available();
    [LibraryImport(Lib)] internal static partial IntPtr mt_build_config();
    [LibraryImport(Lib)] internal static partial IntPtr mt_parallel_info();

    // tensors
    [LibraryImport(Lib)] internal static partial void mt_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr mt_from_data(void* data, long* shape, int ndim, int dtype, int device, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int mt_copy_to(IntPtr t, void* dst, long capacity, int dtype);
    [LibraryImport(Lib)] internal static partial int mt_copy_from(IntPtr t, void* src, long count, int dtype);
    [LibraryImport(Lib)] internal static partial int mt_ndim(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_shape(IntPtr t, long* dst, int capacity);
    [LibraryImport(Lib)] internal static partial long mt_size(IntPtr t, long dim);
    [LibraryImport(Lib)] internal static partial long mt_numel(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_dtype(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_device(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_requires_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_is_leaf(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_set_requires_grad(IntPtr t, int flag);
    [LibraryImport(Lib)] internal static partial IntPtr mt_detach(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr mt_alias(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_item(IntPtr t, double* value);
    [LibraryImport(Lib)] internal static partial IntPtr mt_to(IntPtr t, int dtype, int device);

    // factories
    [LibraryImport(Lib)] internal static partial IntPtr mt_full(long* shape, int ndim, double value, int dtype, int device, int requiresGrad);
    [LibraryImport(Lib)] internal static partial IntPtr mt_arange(double start, double end, double step, int dtype, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_linspace(double start, double end, long steps, int dtype, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_eye(long n, int dtype, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_full_like(IntPtr a, double value);

    // elementwise
    [LibraryImport(Lib)] internal static partial IntPtr mt_unary(int op, IntPtr a);
    [LibraryImport(Lib)] internal static partial IntPtr mt_binary(int op, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr mt_scalar_op(int op, IntPtr a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr mt_clamp(IntPtr a, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Lib)] internal static partial IntPtr mt_where(IntPtr condition, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr mt_masked_fill(IntPtr a, IntPtr mask, double value);
    [LibraryImport(Lib)] internal static partial IntPtr mt_dim_op(int op, IntPtr a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_addcmul(IntPtr a, IntPtr b, IntPtr c, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr mt_addmm(IntPtr a, IntPtr b, IntPtr c, double beta, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr mt_dot(IntPtr a, IntPtr b);

    // reductions
    [LibraryImport(Lib)] internal static partial IntPtr mt_reduce(int op, IntPtr a, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] internal static partial int mt_max_min_dim(int op, IntPtr a, long dim, int keepdim, IntPtr* values, IntPtr* indices);
    [LibraryImport(Lib)] internal static partial IntPtr mt_arg_extreme(int op, IntPtr a, long dim, int keepdim);
    [LibraryImport(Lib)] internal static partial int mt_sort(IntPtr a, long dim, int descending, int stable, IntPtr* values, IntPtr* indices);
    [LibraryImport(Lib)] internal static partial IntPtr mt_quantile(IntPtr a, double q, long dim, int hasDim, int keepdim, int interpolation);
    [LibraryImport(Lib)] internal static partial int mt_topk(IntPtr a, long k, long dim, int largest, IntPtr* values, IntPtr* indices);

    // shape and indexing
    [LibraryImport(Lib)] internal static partial IntPtr mt_reshape(IntPtr a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_view(IntPtr a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_expand(IntPtr a, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_repeat(IntPtr a, long* repeats, int n);
    [LibraryImport(Lib)] internal static partial IntPtr mt_permute(IntPtr a, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr mt_transpose(IntPtr a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial IntPtr mt_squeeze(IntPtr a, long dim, int all);
    [LibraryImport(Lib)] internal static partial IntPtr mt_unsqueeze(IntPtr a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_flatten(IntPtr a, long start, long end);
    [LibraryImport(Lib)] internal static partial IntPtr mt_slice(IntPtr a, long dim, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial IntPtr mt_narrow(IntPtr a, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr mt_select(IntPtr a, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr mt_index_select(IntPtr a, long dim, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr mt_gather(IntPtr a, long dim, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr mt_scatter_add(IntPtr a, long dim, IntPtr index, IntPtr src);
    [LibraryImport(Lib)] internal static partial IntPtr mt_masked_select(IntPtr a, IntPtr mask);
    [LibraryImport(Lib)] internal static partial IntPtr mt_cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr mt_flip(IntPtr a, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr mt_one_hot(IntPtr index, long classes);

    // random
    [LibraryImport(Lib)] internal static partial IntPtr mt_generator_new(ulong seed);
    [LibraryImport(Lib)] internal static partial void mt_generator_free(IntPtr g);
    [LibraryImport(Lib)] internal static partial int mt_generator_set_seed(IntPtr g, ulong seed);
    [LibraryImport(Lib)] internal static partial long mt_generator_get_state(IntPtr g, byte* dst, long capacity);
    [LibraryImport(Lib)] internal static partial int mt_generator_set_state(IntPtr g, byte* src, long n);
    [LibraryImport(Lib)] internal static partial IntPtr mt_random(int kind, long* shape, int ndim, double low, double high, IntPtr g, int dtype, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_randint(long low, long high, long* shape, int ndim, IntPtr g, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_randperm(long n, IntPtr g, int device);
    [LibraryImport(Lib)] internal static partial IntPtr mt_randn_like(IntPtr like, IntPtr g);
    [LibraryImport(Lib)] internal static partial IntPtr mt_multinomial(IntPtr probs, long samples, int replacement, IntPtr g);
    [LibraryImport(Lib)] internal static partial IntPtr mt_bernoulli(IntPtr probs, IntPtr g);

    // nn
    [LibraryImport(Lib)] internal static partial IntPtr mt_linear(IntPtr x, IntPtr weight, IntPtr bias);
    [LibraryImport(Lib)] internal static partial int mt_gru(IntPtr input, IntPtr hx, IntPtr* parameters, int nparams, int hasBiases, long numLayers, int batchFirst, IntPtr* output, IntPtr* hN);
    [LibraryImport(Lib)] internal static partial int mt_gru_fused(IntPtr input, IntPtr h0, IntPtr wIh, IntPtr wHh, IntPtr bIh, IntPtr bHh, int batchFirst, IntPtr* output, IntPtr* hN);
    [LibraryImport(Lib)] internal static partial IntPtr mt_gru_cell(IntPtr x, IntPtr h, IntPtr wIh, IntPtr wHh, IntPtr bIh, IntPtr bHh);
    [LibraryImport(Lib)] internal static partial IntPtr mt_mse_loss(IntPtr input, IntPtr target, int reduction);
    [LibraryImport(Lib)] internal static partial IntPtr mt_bce_with_logits(IntPtr logits, IntPtr target, IntPtr weight, int reduction);

    // optim and in-place
    [LibraryImport(Lib)] internal static partial int mt_adam_step(IntPtr param, IntPtr grad, IntPtr expAvg, IntPtr expAvgSq, long step, double lr, double beta1, double beta2, double eps, double weightDecay);
    [LibraryImport(Lib)] internal static partial int mt_sgd_step(IntPtr param, IntPtr grad, IntPtr momentumBuf, int firstStep, double lr, double momentum, double dampening, double weightDecay, int nesterov);
    [LibraryImport(Lib)] internal static partial int mt_inplace(int op, IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Lib)] internal static partial int mt_inplace_scalar(int op, IntPtr a, double s);

    // autograd
    [LibraryImport(Lib)] internal static partial int mt_backward(IntPtr loss, IntPtr gradOutput, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int mt_grad_of(IntPtr t, IntPtr* result);
    [LibraryImport(Lib)] internal static partial int mt_set_grad(IntPtr t, IntPtr g);
    [LibraryImport(Lib)] internal static partial int mt_grad(IntPtr* outputs, int nOutputs, IntPtr* gradOutputs, IntPtr* inputs, int nInputs, int createGraph, int retainGraph, int allowUnused, IntPtr* results);
    [LibraryImport(Lib)] internal static partial int mt_is_grad_enabled();
    [LibraryImport(Lib)] internal static partial void mt_set_grad_enabled(int enabled);

    internal static string LastError() => Marshal.PtrToStringUTF8(mt_last_error()) ?? "";

    /// <summary>Throws the shim's last error when a handle-returning call failed.</summary>
    internal static IntPtr Check(IntPtr handle) =>
        handle != IntPtr.Zero ? handle : throw new TorchException(LastError());

    /// <summary>Throws the shim's last error when an int-returning call failed.</summary>
    internal static int Check(int status) =>
        status >= 0 ? status : throw new TorchException(LastError());

    internal static long Check(long status) =>
        status >= 0 ? status : throw new TorchException(LastError());
}
