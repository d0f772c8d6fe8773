#pragma once
// `bayeslab-cli bench [--json FILE]`: the five standard workloads of
// BENCHMARKS.md with the sizes and keys of bench/torch_reference.py, so that
// BayesLab and PyTorch are compared as a ratio measured on one machine.
#include <QString>

namespace bayeslab::app {

struct BenchOptions {
  QString jsonPath;   // also write the results here
  int threads = 2;    // as the reference
  QString only;       // run just this workload key (empty: all)
  bool quiet = false;
};

int runBench(const BenchOptions& options);

}  // namespace bayeslab::app
