namespace MetaRl.Learning.Common;

/// <summary>Small dense symmetric positive-definite systems (row-major k×k), solved by Cholesky factorisation.</summary>
public static class Cholesky
{
    /// <summary>Factors <paramref name="m"/> in place into its lower triangle; false when it is not positive definite.</summary>
    public static bool Factor(double[] m, int k, double minimumPivot = 1e-12)
    {
        for (int j = 0; j < k; j++)
        {
            double d = m[j * k + j];
            for (int p = 0; p < j; p++) d -= m[j * k + p] * m[j * k + p];
            if (!(d > minimumPivot)) return false;
            double l = Math.Sqrt(d);
            m[j * k + j] = l;
            for (int i = j + 1; i < k; i++)
            {
                double s = m[i * k + j];
                for (int p = 0; p < j; p++) s -= m[i * k + p] * m[j * k + p];
                m[i * k + j] = s / l;
            }
        }
        return true;
    }

    /// <summary>Solves L Lᵀ x = b given the factor from <see cref="Factor"/>.</summary>
    public static double[] Solve(double[] l, double[] b, int k)
    {
        var y = new double[k];
        for (int i = 0; i < k; i++)
        {
            double s = b[i];
            for (int p = 0; p < i; p++) s -= l[i * k + p] * y[p];
            y[i] = s / l[i * k + i];
        }
        var x = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
            x[i] = s / l[i * k + i];
        }
        return x;
    }
}
