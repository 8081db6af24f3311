// Precompiled header of the libtorch shim. ATen + autograd only: torch/torch.h (the nn API) triples
// the compile time of every translation unit and the shim does not need it.
#pragma once
#include <ATen/ATen.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/generated/variable_factories.h>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
