using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

/// <summary>
/// A libtorch random stream (CPU Mersenne twister). Every sampling call names its generator, so a
/// run owns its streams; <see cref="GetState"/>/<see cref="SetState"/> let a resumed run continue
/// exactly where the interrupted one stopped.
/// </summary>
public sealed class Generator : IDisposable
{
    private IntPtr _handle;

    public Generator(ulong seed)
    {
        _handle = TorchNative.Check(TorchNative.mt_generator_new(seed));
    }

    ~Generator() => Release();

    internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Generator));

    public void Seed(ulong seed) => TorchNative.Check(TorchNative.mt_generator_set_seed(Handle, seed));

    /// <summary>The full state of the stream as opaque bytes.</summary>
    public unsafe byte[] GetState()
    {
        var n = TorchNative.Check(TorchNative.mt_generator_get_state(Handle, null, 0));
        var state = new byte[n];
        fixed (byte* p = state)
            TorchNative.Check(TorchNative.mt_generator_get_state(Handle, p, n));
        return state;
    }

    /// <summary>Restores a state from <see cref="GetState"/>; a malformed state throws <see cref="TorchException"/>.</summary>
    public unsafe void SetState(ReadOnlySpan<byte> state)
    {
        fixed (byte* p = state)
            TorchNative.Check(TorchNative.mt_generator_set_state(Handle, p, state.Length));
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero) TorchNative.mt_generator_free(h);
    }
}
