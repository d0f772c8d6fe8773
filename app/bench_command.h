#pragma once
// `bayeslab-cli bench [--json FILE] [--reference SCRIPT]`: the five standard
// workloads of BENCHMARKS.md with the sizes and keys of bench/torch_reference.py,
// so that BayesLab and PyTorch are compared as a ratio measured on one machine.
//
// With --reference the PyTorch script runs first, in the same invocation, and
// the table gives each workload's speed-up over it next to its target. Every
// workload is also set against the machine's own limit: the float GEMM rate
// measured here on the same threads, and the matrix-product work of the
// workload (its other work is element-wise and not counted, so the limit is
// an upper bound).
#include <QString>

namespace bayeslab::app {

struct BenchOptions {
  QString jsonPath;                     // also write the results here
  int threads = 2;                      // as the reference
  QString only;                         // run just this workload key (empty: all)
  QString referencePath;                // torch_reference.py to run first (empty: none)
  QString python = "/usr/bin/python3";  // the interpreter Debian's python3-torch installs into
  bool quiet = false;
};

int runBench(const BenchOptions& options);

}  // namespace bayeslab::app
