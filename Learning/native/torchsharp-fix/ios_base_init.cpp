// libLibTorchSharp.so (TorchSharp's native bridge) is built with GCC >= 13, whose code calls
// std::ios_base_library_init() — the hook that makes sure iostreams are initialised, versioned
// GLIBCXX_3.4.32. Debian 12's libstdc++ (GCC 12) lacks it. What the hook guarantees, one
// std::ios_base::Init object does under GCC 12's libstdc++. infra/torchsharp-fix.sh makes this
// library a dependency of our copy of the bridge (see docs/ARCHITECTURE.md).
#include <ios>

namespace std
{
__attribute__((visibility("default"))) void ios_base_library_init()
{
    static ios_base::Init init;
}
}
