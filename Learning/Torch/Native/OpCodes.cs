namespace MetaRl.Learning.Torch.Native;

// Operation codes of the shim's dispatching exports (Learning/native/torch/ops.cpp, reduce.cpp).
// Keep both sides in step: a code here must mean the same operation there.

internal enum UnaryOp
{
    Neg = 0, Exp = 1, Log = 2, Tanh = 3, Relu = 4, Sigmoid = 5, Softplus = 6, Sqrt = 7, Abs = 8, Square = 9,
    Sin = 10, Cos = 11, Log1p = 12, Reciprocal = 13, Sign = 14, Floor = 15, LogicalNot = 16, Rsqrt = 17,
    Expm1 = 18, LogSigmoid = 19, Erf = 20, Lgamma = 21, Digamma = 22, Ceil = 23, Round = 24, IsNan = 25,
    IsFinite = 26, Clone = 27, Contiguous = 28, Atanh = 29,
}

internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, MatMul = 4, Pow = 5, Maximum = 6, Minimum = 7,
    Eq = 8, Ne = 9, Lt = 10, Le = 11, Gt = 12, Ge = 13, LogicalAnd = 14, LogicalOr = 15, Atan2 = 16, Remainder = 17,
}

internal enum ScalarOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 5, ClampMin = 6, ClampMax = 7,
    Eq = 8, Ne = 9, Lt = 10, Le = 11, Gt = 12, Ge = 13, Remainder = 17,
    ReverseSub = 20, ReverseDiv = 21, ReversePow = 22,
}

internal enum ReduceOp
{
    Sum = 0, Mean = 1, Max = 2, Min = 3, LogSumExp = 4, Prod = 5, Std = 6, Var = 7, Norm = 8,
}

internal enum DimOp
{
    Softmax = 0, LogSoftmax = 1, CumSum = 2, CumProd = 3,
}

internal enum InPlaceOp
{
    Copy = 0, AddScaled = 1, Mul = 2,
}

internal enum InPlaceScalarOp
{
    Fill = 0, Mul = 1, Add = 2, Zero = 3,
}
