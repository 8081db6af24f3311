# MetaRl.Orleans — two commands: `make demo` and `make test`. Both install what they need first
# (infra/bootstrap.sh, idempotent: a few seconds when everything is already there).
SHELL := /bin/bash
DOTNET_BUILD := dotnet build MetaRl.Orleans.sln -c Release --nologo -v minimal -clp:NoSummary
# The console as ./metarl runs it: compiled ahead of time (ReadyToRun), so that a command starts in a
# fraction of a second instead of spending it in the JIT (bench `console`; docs/ARCHITECTURE.md).
CONSOLE_PUBLISH := dotnet publish Client/MetaRl.Client.csproj -c Release -r linux-x64 --self-contained false \
	-p:PublishReadyToRun=true -o Client/bin/Release/ready-to-run --nologo -v minimal -clp:NoSummary

.PHONY: all bootstrap build test demo doctor bench clean

all: build

bootstrap:
	@infra/bootstrap.sh

build: bootstrap
	@$(DOTNET_BUILD)
	@$(CONSOLE_PUBLISH)
	@touch Client/bin/Release/ready-to-run/metarl.dll
	@touch Client/bin/Release/ready-to-run/metarl.dll

# Every test project; ends with "N passed, N failed"; non-zero on any failure or when no test ran.
test: build
	@infra/run-tests.sh

# The main job on the embedded default (local file-system storage, no service to start): check the
# machine, then run a small α-sensitivity sweep (sine regression: MAML, CVaR-ML and RoML) to the end
# with an in-process silo and print its report (table + .metarl/reports/demo-sine.html).
demo: build
	@./metarl doctor
	@./metarl sweep run experiments/demo-sweep.json

doctor: build
	@./metarl doctor

# Benchmarks, each side by side with its reference in one run (bench/README.md).
bench: build
	@dotnet bench/MetaRl.Bench/bin/Release/net10.0/metarl-bench.dll torch
	@dotnet bench/MetaRl.Bench/bin/Release/net10.0/metarl-bench.dll env
	@dotnet bench/MetaRl.Bench/bin/Release/net10.0/metarl-bench.dll grains

clean:
	@dotnet clean MetaRl.Orleans.sln -c Release --nologo -v quiet >/dev/null || true
	@rm -rf Learning/obj/native tests/TestResults
