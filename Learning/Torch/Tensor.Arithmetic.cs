using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    private enum BinaryOp
    {
        Add = 0,
        Sub = 1,
        Mul = 2,
        Div = 3,
        MatMul = 4,
    }

    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b) => Wrap(TorchNative.mt_binary((int)op, a.Handle, b.Handle));

    public static Tensor operator +(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Binary(BinaryOp.Sub, a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Binary(BinaryOp.Div, a, b);

    public Tensor MatMul(Tensor other) => Binary(BinaryOp.MatMul, this, other);

    public Tensor Sum() => Wrap(TorchNative.mt_sum_all(Handle));
}
