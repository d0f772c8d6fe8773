#pragma once
// Freed memory stays in the process for the next allocation.
//
// By default glibc serves every allocation above 128 kB with its own mmap and
// hands it back with munmap when freed, and trims the heap's top back to the
// system once 128 kB of it are free (the thresholds adapt upwards only after a
// large block has been freed). Code that allocates per call — a posterior
// sweep's per-unit workspace, an Eigen temporary in the Laplace curvature —
// then pays fresh zeroed pages and, on a virtual machine, a TLB shoot-down per
// call. Measured on a 2-core AMD EPYC virtual machine: the w4 heatmap sweep of
// the bench took 417-433 ms with glibc's defaults and 188-200 ms with these
// settings; a mean-field function draw on a toy grid 1.1 ms against 19 us.
//
// The applications call this first thing in main(). Without glibc it does nothing.
#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

void keepFreedMemoryForReuse();

BAYESLAB_END_NAMESPACE
