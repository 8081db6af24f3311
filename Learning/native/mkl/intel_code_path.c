/*
 * oneMKL, linked into the libtorch_cpu that TorchSharp ships, chooses its kernels by asking
 * mkl_serv_intel_cpu_true() whether the processor is Intel's; on any other vendor it falls back to
 * generic kernels, whatever instructions the processor has. On the AMD EPYC (Zen 4) machines this
 * project runs on, that made single-precision matrix products about half as fast as MKL's own
 * AVX-512 kernels (docs/ARCHITECTURE.md, "oneMKL on AMD processors"). This library answers "yes";
 * MKL then picks kernels by the instruction sets the processor reports (CPUID), as it does on Intel.
 *
 * libtorch_cpu calls the function through its PLT, resolved at first call, so a definition in the
 * process's global scope takes precedence: TorchRuntime loads this library with RTLD_GLOBAL when the
 * MetaRl.Learning assembly is first used, before any matrix product.
 */
__attribute__((visibility("default"))) int mkl_serv_intel_cpu_true(void)
{
    return 1;
}
