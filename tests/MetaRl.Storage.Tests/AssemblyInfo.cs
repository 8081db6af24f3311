// Test classes run side by side: each provider's suite spends much of its time waiting (on Azurite,
// on a lock another process holds, through an outage), not computing. Tests within a class stay
// sequential: they share a store.
[assembly: Parallelize(Workers = 3, Scope = ExecutionScope.ClassLevel)]
