// Test classes run side by side: each provider's suite spends most of its time waiting (a lapsing
// lease, an Azurite outage), not computing. Tests within a class stay sequential: they share a store.
[assembly: Parallelize(Workers = 3, Scope = ExecutionScope.ClassLevel)]
