using MetaRl.Learning.Torch.Native;
using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Torch.Optim;

/// <summary>Adam with PyTorch's defaults and bias correction; L2 weight decay added to the gradient.</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    public Adam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        using (Autograd.NoGrad())
        {
            _expAvg = Parameters.Select(p => DisposeScope.Detach(p.Detach().ZerosLike())).ToArray();
            _expAvgSq = Parameters.Select(p => DisposeScope.Detach(p.Detach().ZerosLike())).ToArray();
        }
    }

    public override double LearningRate { get; set; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }

    protected override void Update(int index, Tensor parameter, Tensor gradient) =>
        TorchNative.Check(TorchNative.mt_adam_step(parameter.Handle, gradient.Handle, _expAvg[index].Handle, _expAvgSq[index].Handle,
            StepCount, LearningRate, Beta1, Beta2, Eps, WeightDecay));

    protected override void SaveBuffers(TensorArchive archive)
    {
        for (int i = 0; i < _expAvg.Length; i++)
        {
            archive.Add($"exp_avg.{i}", _expAvg[i]);
            archive.Add($"exp_avg_sq.{i}", _expAvgSq[i]);
        }
    }

    protected override void LoadBuffers(TensorArchive archive)
    {
        for (int i = 0; i < _expAvg.Length; i++)
        {
            CheckShape($"exp_avg.{i}", archive, _expAvg[i]);
            CheckShape($"exp_avg_sq.{i}", archive, _expAvgSq[i]);
        }
        for (int i = 0; i < _expAvg.Length; i++)
        {
            using var m = archive.ToTensor($"exp_avg.{i}");
            using var v = archive.ToTensor($"exp_avg_sq.{i}");
            _expAvg[i].CopyFrom(m);
            _expAvgSq[i].CopyFrom(v);
        }
    }

    public override void Dispose()
    {
        foreach (var t in _expAvg) t.Dispose();
        foreach (var t in _expAvgSq) t.Dispose();
        base.Dispose();
    }
}
