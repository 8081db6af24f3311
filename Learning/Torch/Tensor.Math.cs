using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Wrap(TorchNative.mt_unary((int)op, Handle));
    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b) => Wrap(TorchNative.mt_binary((int)op, a.Handle, b.Handle));
    private Tensor WithScalar(ScalarOp op, double s) => Wrap(TorchNative.mt_scalar_op((int)op, Handle, s));

    // ---- arithmetic (broadcasting) ---------------------------------------------------------
    public static Tensor operator +(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Binary(BinaryOp.Sub, a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Binary(BinaryOp.Div, a, b);
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);
    public static Tensor operator +(Tensor a, double s) => a.WithScalar(ScalarOp.Add, s);
    public static Tensor operator +(double s, Tensor a) => a.WithScalar(ScalarOp.Add, s);
    public static Tensor operator -(Tensor a, double s) => a.WithScalar(ScalarOp.Sub, s);
    public static Tensor operator -(double s, Tensor a) => a.WithScalar(ScalarOp.ReverseSub, s);
    public static Tensor operator *(Tensor a, double s) => a.WithScalar(ScalarOp.Mul, s);
    public static Tensor operator *(double s, Tensor a) => a.WithScalar(ScalarOp.Mul, s);
    public static Tensor operator /(Tensor a, double s) => a.WithScalar(ScalarOp.Div, s);
    public static Tensor operator /(double s, Tensor a) => a.WithScalar(ScalarOp.ReverseDiv, s);

    public Tensor MatMul(Tensor other) => Binary(BinaryOp.MatMul, this, other);
    public Tensor Pow(double exponent) => WithScalar(ScalarOp.Pow, exponent);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, this, exponent);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, this, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, this, other);
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, this, other);
    public Tensor Remainder(double divisor) => WithScalar(ScalarOp.Remainder, divisor);
    public Tensor Dot(Tensor other) => Wrap(TorchNative.mt_dot(Handle, other.Handle));

    /// <summary>this + alpha · b · c, in one native call.</summary>
    public Tensor AddCMul(Tensor b, Tensor c, double alpha = 1) => Wrap(TorchNative.mt_addcmul(Handle, b.Handle, c.Handle, alpha));

    /// <summary>beta · this + alpha · (b @ c).</summary>
    public Tensor AddMM(Tensor b, Tensor c, double beta = 1, double alpha = 1) => Wrap(TorchNative.mt_addmm(Handle, b.Handle, c.Handle, beta, alpha));

    // ---- elementwise functions ------------------------------------------------------------
    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Softplus() => Unary(UnaryOp.Softplus);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor LogSigmoid() => Unary(UnaryOp.LogSigmoid);
    public Tensor Erf() => Unary(UnaryOp.Erf);
    public Tensor Lgamma() => Unary(UnaryOp.Lgamma);
    public Tensor Digamma() => Unary(UnaryOp.Digamma);
    public Tensor Atanh() => Unary(UnaryOp.Atanh);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, this, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, this, other);

    /// <summary>A copy with its own storage (still part of the autograd graph).</summary>
    public Tensor Clone() => Unary(UnaryOp.Clone);
    public Tensor Contiguous() => Unary(UnaryOp.Contiguous);

    public Tensor Clamp(double min, double max) => Wrap(TorchNative.mt_clamp(Handle, min, max, 1, 1));
    public Tensor ClampMin(double min) => WithScalar(ScalarOp.ClampMin, min);
    public Tensor ClampMax(double max) => WithScalar(ScalarOp.ClampMax, max);

    public Tensor Softmax(long dim) => Wrap(TorchNative.mt_dim_op((int)DimOp.Softmax, Handle, dim));
    public Tensor LogSoftmax(long dim) => Wrap(TorchNative.mt_dim_op((int)DimOp.LogSoftmax, Handle, dim));
    public Tensor CumSum(long dim) => Wrap(TorchNative.mt_dim_op((int)DimOp.CumSum, Handle, dim));
    public Tensor CumProd(long dim) => Wrap(TorchNative.mt_dim_op((int)DimOp.CumProd, Handle, dim));

    /// <summary>Elementwise choice: <paramref name="a"/> where <paramref name="condition"/> holds, else <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Wrap(TorchNative.mt_where(condition.Handle, a.Handle, b.Handle));

    public Tensor MaskedFill(Tensor mask, double value) => Wrap(TorchNative.mt_masked_fill(Handle, mask.Handle, value));

    // ---- comparisons (bool tensors) -------------------------------------------------------
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, this, other);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, this, other);
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, this, other);
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, this, other);
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, this, other);
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, this, other);
    public Tensor Eq(double s) => WithScalar(ScalarOp.Eq, s);
    public Tensor Ne(double s) => WithScalar(ScalarOp.Ne, s);
    public Tensor Lt(double s) => WithScalar(ScalarOp.Lt, s);
    public Tensor Le(double s) => WithScalar(ScalarOp.Le, s);
    public Tensor Gt(double s) => WithScalar(ScalarOp.Gt, s);
    public Tensor Ge(double s) => WithScalar(ScalarOp.Ge, s);

    // ---- conversions ----------------------------------------------------------------------
    public Tensor To(ScalarType type) => Wrap(TorchNative.mt_to(Handle, (int)type, (int)Device));
    public Tensor To(Device device) => Wrap(TorchNative.mt_to(Handle, (int)DType, (int)device));
    public Tensor To(ScalarType type, Device device) => Wrap(TorchNative.mt_to(Handle, (int)type, (int)device));
}
