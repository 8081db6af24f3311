// Untrusted.Clean lives in Grains, where metarl-silo uses it too; every console file prints through it.
global using Untrusted = MetaRl.Grains.Untrusted;
