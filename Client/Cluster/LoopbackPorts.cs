using System.Net;
using System.Net.Sockets;

namespace MetaRl.Client.Cluster;

/// <summary>Free ports on 127.0.0.1 (embedded silos never bind anything else).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
