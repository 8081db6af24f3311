using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRl.Learning.Common;

/// <summary>
/// Named tensors as bytes: module parameters, optimizer state, random-stream state, checkpoint parts.
/// The format (version 1, all integers little-endian) is documented in docs/FORMATS.md:
/// <code>
/// "MRTA" | u32 version | u32 count | count × entry
/// entry: u16 nameBytes | UTF-8 name | u8 dtype | u8 ndim | ndim × i64 dim | u64 dataBytes | data (row-major, little-endian)
/// </code>
/// Entries keep their insertion order; names are unique.
/// </summary>
public sealed class TensorArchive
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "MRTA"u8.ToArray();

    /// <summary>The archive's element types (their codes are the format's, not libtorch's).</summary>
    public enum ElementType : byte
    {
        Float32 = 0,
        Float64 = 1,
        Int64 = 2,
        Bool = 3,
        Int32 = 4,
        UInt8 = 5,
    }

    public sealed record Entry(string Name, ElementType Type, long[] Shape, byte[] Data);

    private readonly List<Entry> _entries = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public IReadOnlyList<Entry> Entries => _entries;
    public IEnumerable<string> Names => _entries.Select(e => e.Name);
    public int Count => _entries.Count;

    public static int ElementSize(ElementType type) => type switch
    {
        ElementType.Float32 or ElementType.Int32 => 4,
        ElementType.Float64 or ElementType.Int64 => 8,
        _ => 1,
    };

    private static ElementType ToElementType(ScalarType type) => type switch
    {
        ScalarType.Float32 => ElementType.Float32,
        ScalarType.Float64 => ElementType.Float64,
        ScalarType.Int64 => ElementType.Int64,
        ScalarType.Bool => ElementType.Bool,
        ScalarType.Int32 => ElementType.Int32,
        ScalarType.Byte => ElementType.UInt8,
        _ => throw new ArgumentException($"tensors of {type} are not stored in archives"),
    };

    private static ScalarType ToScalarType(ElementType type) => type switch
    {
        ElementType.Float32 => ScalarType.Float32,
        ElementType.Float64 => ScalarType.Float64,
        ElementType.Int64 => ScalarType.Int64,
        ElementType.Bool => ScalarType.Bool,
        ElementType.Int32 => ScalarType.Int32,
        _ => ScalarType.Byte,
    };

    /// <summary>Adds a copy of <paramref name="tensor"/>'s values (on the CPU, in its own dtype).</summary>
    public void Add(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        Add(new Entry(name, ToElementType(cpu.dtype), cpu.shape, cpu.bytes.ToArray()));
    }

    public void Add(Entry entry)
    {
        if (Encoding.UTF8.GetByteCount(entry.Name) > ushort.MaxValue) throw new ArgumentException("entry name too long");
        if (entry.Shape.Length > byte.MaxValue) throw new ArgumentException("too many dimensions");
        long n = entry.Shape.Aggregate(1L, (a, d) => a * d);
        if (entry.Data.LongLength != n * ElementSize(entry.Type))
            throw new ArgumentException($"entry '{entry.Name}': {entry.Data.Length} bytes do not hold {n} elements of {entry.Type}");
        if (!_index.TryAdd(entry.Name, _entries.Count)) throw new ArgumentException($"entry '{entry.Name}' already exists");
        _entries.Add(entry);
    }

    public void AddInt64(string name, long value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, value);
        Add(new Entry(name, ElementType.Int64, [], data));
    }

    public void AddFloat64(string name, double value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(data, value);
        Add(new Entry(name, ElementType.Float64, [], data));
    }

    public void AddBytes(string name, byte[] bytes) => Add(new Entry(name, ElementType.UInt8, [bytes.Length], bytes));

    public bool Contains(string name) => _index.ContainsKey(name);

    public bool TryGet(string name, out Entry entry)
    {
        if (_index.TryGetValue(name, out var i))
        {
            entry = _entries[i];
            return true;
        }
        entry = null!;
        return false;
    }

    public Entry Get(string name) => TryGet(name, out var e) ? e : throw new KeyNotFoundException($"archive has no entry '{name}'");

    /// <summary>The entry as a new CPU tensor.</summary>
    public Tensor ToTensor(string name)
    {
        var e = Get(name);
        var t = empty(e.Shape, ToScalarType(e.Type));
        if (e.Data.Length > 0) t.bytes = e.Data;
        return t;
    }

    public long GetInt64(string name)
    {
        var e = Get(name);
        if (e.Type != ElementType.Int64 || e.Shape.Length != 0) throw new InvalidDataException($"entry '{name}' is not an int64 scalar");
        return BinaryPrimitives.ReadInt64LittleEndian(e.Data);
    }

    public double GetFloat64(string name)
    {
        var e = Get(name);
        if (e.Type != ElementType.Float64 || e.Shape.Length != 0) throw new InvalidDataException($"entry '{name}' is not a float64 scalar");
        return BinaryPrimitives.ReadDoubleLittleEndian(e.Data);
    }

    public byte[] GetBytes(string name)
    {
        var e = Get(name);
        if (e.Type != ElementType.UInt8 || e.Shape.Length != 1) throw new InvalidDataException($"entry '{name}' is not a byte vector");
        return e.Data;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write((uint)FormatVersion);
            w.Write((uint)_entries.Count);
            foreach (var e in _entries)
            {
                var name = Encoding.UTF8.GetBytes(e.Name);
                w.Write((ushort)name.Length);
                w.Write(name);
                w.Write((byte)e.Type);
                w.Write((byte)e.Shape.Length);
                foreach (var d in e.Shape) w.Write(d);
                w.Write((ulong)e.Data.LongLength);
                w.Write(e.Data);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Parses archive bytes; anything truncated, unknown or inconsistent throws <see cref="InvalidDataException"/>.</summary>
    public static TensorArchive FromBytes(ReadOnlySpan<byte> bytes)
    {
        var archive = new TensorArchive();
        int pos = 0;
        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> b, long n, ref int p)
        {
            if (n < 0 || p + n > b.Length) throw new InvalidDataException($"tensor archive truncated at byte {p} (needs {n} more, {b.Length - p} left)");
            var s = b.Slice(p, (int)n);
            p += (int)n;
            return s;
        }
        if (!Take(bytes, 4, ref pos).SequenceEqual(Magic)) throw new InvalidDataException("not a tensor archive (bad magic)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(Take(bytes, 4, ref pos));
        if (version != FormatVersion) throw new InvalidDataException($"tensor archive version {version} is not supported (this build reads {FormatVersion})");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(bytes, 4, ref pos));
        for (uint i = 0; i < count; i++)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(Take(bytes, 2, ref pos));
            var name = Encoding.UTF8.GetString(Take(bytes, nameLength, ref pos));
            var type = (ElementType)Take(bytes, 1, ref pos)[0];
            if (!Enum.IsDefined(type)) throw new InvalidDataException($"entry '{name}': unknown dtype code {(int)type}");
            int ndim = Take(bytes, 1, ref pos)[0];
            var shape = new long[ndim];
            for (int d = 0; d < ndim; d++) shape[d] = BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, 8, ref pos));
            var length = BinaryPrimitives.ReadUInt64LittleEndian(Take(bytes, 8, ref pos));
            if (length > int.MaxValue) throw new InvalidDataException($"entry '{name}' is too large");
            var data = Take(bytes, (long)length, ref pos).ToArray();
            try
            {
                archive.Add(new Entry(name, type, shape, data));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(e.Message);
            }
        }
        if (pos != bytes.Length) throw new InvalidDataException($"tensor archive has {bytes.Length - pos} trailing bytes");
        return archive;
    }
}
