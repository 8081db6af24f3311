namespace MetaRl.Learning.Torch;

/// <summary>Element types the binding supports. Codes match the shim's dtype codes.</summary>
public enum ScalarType
{
    Float32 = 0,
    Float64 = 1,
    Int64 = 2,
    Bool = 3,
    Int32 = 4,
    UInt8 = 5,
}
