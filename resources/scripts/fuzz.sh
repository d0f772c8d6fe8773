#!/bin/sh
# Fuzzes the readers (tests/fuzz): builds the libFuzzer targets with clang and
# ASan+UBSan into $BUILD_DIR (default build-fuzz), then runs each for
# FUZZ_SECONDS (default 60) on a copy of its seed corpus (plus its regressions),
# as many at once as there are cores (JOBS). Called by
# `sh resources/scripts/setup.sh fuzz` once clang and its runtime are installed.
#
# Caps (any breach is a failure, as is a crash, a sanitizer report or a leak):
#   -rss_limit_mb=1024    the whole process, ASan's own overhead included
#   -malloc_limit_mb=256  any single allocation (a hostile IDX header must fail
#                         before allocating what it claims)
#   -timeout=10           seconds per input (a hang)
#   -max_len=16384        bytes per input (the seeds are far smaller)
# A failing input is saved as $BUILD_DIR/artifacts/<target>/crash-* (or leak-,
# timeout-, oom-); copy it to tests/fuzz/regressions/<target>/<what-it-does> to
# replay it in every normal test run (ctest -L fuzz).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

build_dir=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
seconds=${FUZZ_SECONDS:-60}
cxx=${FUZZ_CXX:-clang++-14}
command -v "$cxx" >/dev/null 2>&1 || cxx=clang++
targets="session_json csv idx"

# The readers and entry points are built at -O1 with the sanitizers
# (tests/fuzz/CMakeLists.txt); the rest of the engine at -O0, the fastest to compile.
# Only the fuzz targets and the engine they link are built (no Qt, no tests).
# No precompiled headers or unity batches here: the reader sources carry
# sanitizer flags the rest of the engine does not, and clang refuses a
# precompiled header built with other sanitizers.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1" \
  -DBAYESLAB_FUZZ=ON -DBAYESLAB_BUILD_GUI=OFF -DBAYESLAB_BUILD_TESTS=OFF \
  -DBAYESLAB_LIBXSMM=OFF -DBAYESLAB_NATIVE=OFF -DBAYESLAB_PCH=OFF -DBAYESLAB_UNITY=OFF
# shellcheck disable=SC2046
cmake --build "$build_dir" --parallel "$jobs" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)

fuzz_bin=$(find "$build_dir/tests/fuzz" -maxdepth 1 -name 'fuzz_idx' -type f | head -n 1)
bin_dir=$(dirname "$fuzz_bin")
# One fuzzer per core at a time (libFuzzer runs single-threaded): on 2 cores
# the three targets take two rounds of FUZZ_SECONDS.
run_target() {
  t=$1
  work="$build_dir/fuzz-corpus/$t"
  artifacts="$build_dir/artifacts/$t"
  rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  cp tests/fuzz/corpus/"$t"/* "$work"/
  log="$build_dir/fuzz-$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  status=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin_dir/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=256 \
    -timeout=10 -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$work" tests/fuzz/regressions/"$t" >"$log" 2>&1 || status=$?
  echo "$status" >"$build_dir/fuzz-$t.status"
}
running=0
for t in $targets; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait
    running=0
  fi
done
wait

failed=""
summary=""
for t in $targets; do
  log="$build_dir/fuzz-$t.log"
  status=$(cat "$build_dir/fuzz-$t.status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  line="fuzz_$t: ${runs:-?} executions, ${rate:-?} exec/s (limit ${seconds}s), exit $status"
  summary="$summary$line
"
  if [ "$status" -ne 0 ]; then
    failed="$failed $t"
    tail -n 40 "$log" >&2
    echo "fuzz: $t failed; the input is in $build_dir/artifacts/$t/" >&2
  fi
done
printf '\nfuzz summary\n%s' "$summary"
if [ -n "$failed" ]; then
  echo "fuzz: FAILED:$failed" >&2
  exit 1
fi
echo "fuzz: no crash, leak, timeout or over-limit allocation"
