using MetaRl.Learning.Torch.Native;
using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Torch.Optim;

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum, PyTorch semantics.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[]? _momentum;

    public Sgd(IReadOnlyList<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        if (momentum != 0)
            using (Autograd.NoGrad())
                _momentum = Parameters.Select(p => DisposeScope.Detach(p.Detach().ZerosLike())).ToArray();
    }

    public override double LearningRate { get; set; }
    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }

    protected override void Update(int index, Tensor parameter, Tensor gradient) =>
        TorchNative.Check(TorchNative.mt_sgd_step(parameter.Handle, gradient.Handle, _momentum?[index].Handle ?? IntPtr.Zero,
            StepCount == 1 ? 1 : 0, LearningRate, Momentum, Dampening, WeightDecay, Nesterov ? 1 : 0));

    protected override void SaveBuffers(TensorArchive archive)
    {
        if (_momentum is null) return;
        for (int i = 0; i < _momentum.Length; i++) archive.Add($"momentum.{i}", _momentum[i]);
    }

    protected override void LoadBuffers(TensorArchive archive)
    {
        if (_momentum is null) return;
        for (int i = 0; i < _momentum.Length; i++) CheckShape($"momentum.{i}", archive, _momentum[i]);
        for (int i = 0; i < _momentum.Length; i++)
        {
            using var m = archive.ToTensor($"momentum.{i}");
            _momentum[i].CopyFrom(m);
        }
    }

    public override void Dispose()
    {
        if (_momentum is not null) foreach (var t in _momentum) t.Dispose();
        base.Dispose();
    }
}
