#!/bin/sh
# BayesLab set-up on Debian bookworm: install what is missing, build, then run
# the app or the tests. Works from a clean clone, as root, with no prompts.
#
#   sh resources/scripts/setup.sh run       # build and start the app (headless demo without a display)
#   sh resources/scripts/setup.sh test      # build and run every test
#   sh resources/scripts/setup.sh sanitize  # build the engine and its tests with ASan+UBSan, run them
#   sh resources/scripts/setup.sh openmp    # build the engine and its tests on the OpenMP backend, run them
#   sh resources/scripts/setup.sh fuzz      # fuzz the session, CSV and IDX readers (FUZZ_SECONDS each, default 60)
#   sh resources/scripts/setup.sh tsan      # build the engine's threaded tests with ThreadSanitizer, run them
#
# Environment: BUILD_DIR (default: build), JOBS (default: all cores).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Build and test dependencies (Debian package names).
packages="g++ cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libxkbcommon-dev
  libeigen3-dev libxsmm-dev nlohmann-json3-dev zlib1g-dev fonts-dejavu-core"
test_packages="dataset-fashion-mnist"
# clang and its runtimes (libFuzzer, ASan, UBSan, TSan) for fuzz and tsan.
clang_packages="clang-14 libclang-rt-14-dev"
# The engine alone (fuzz: no Qt at all; tsan: the engine tests need QTest).
engine_packages="g++ cmake ninja-build pkg-config libeigen3-dev nlohmann-json3-dev zlib1g-dev"

install_missing() {
  missing=""
  for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
      *"install ok installed"*) ;;
      *) missing="$missing $p" ;;
    esac
  done
  [ -z "$missing" ] && return 0
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "setup: need root (or sudo) to install:$missing" >&2; exit 1
    fi
  fi
  echo "setup: installing$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

configure_and_build() {
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$build_dir" --parallel "$jobs"
}

command=${1:-}
case "$command" in
  run)
    # shellcheck disable=SC2086
    install_missing $packages
    configure_and_build -DBAYESLAB_BUILD_TESTS=OFF
    exec "$build_dir/bin/bayeslab"
    ;;
  test)
    # shellcheck disable=SC2086
    install_missing $packages $test_packages
    configure_and_build -DBAYESLAB_BUILD_TESTS=ON
    ctest --test-dir "$build_dir" --output-on-failure --parallel "$jobs"
    ;;
  sanitize)
    # shellcheck disable=SC2086
    install_missing $packages $test_packages
    BUILD_DIR=${BUILD_DIR:-build-sanitize}
    build_dir=$BUILD_DIR
    # -O1 -g1: sanitized Eigen code compiles three times faster than at -O2 -g
    # and still runs fast enough; no NDEBUG, so Eigen's bounds checks are on.
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
      -DBAYESLAB_SANITIZE=ON -DBAYESLAB_BUILD_GUI=OFF -DBAYESLAB_BUILD_TESTS=ON
    cmake --build "$build_dir" --parallel "$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir "$build_dir" --output-on-failure --parallel "$jobs"
    ;;
  openmp)
    # parallelFor on OpenMP instead of the engine's thread team: the same
    # units, so every engine test (thread-count independence included) must
    # pass unchanged. -O1 compiles the engine twice as fast as -O2.
    # shellcheck disable=SC2086
    install_missing $packages $test_packages
    BUILD_DIR=${BUILD_DIR:-build-openmp}
    build_dir=$BUILD_DIR
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" \
      -DBAYESLAB_PARALLEL=openmp -DBAYESLAB_BUILD_GUI=OFF -DBAYESLAB_BUILD_TESTS=ON
    cmake --build "$build_dir" --parallel "$jobs"
    ctest --test-dir "$build_dir" --output-on-failure --parallel "$jobs"
    ;;
  fuzz)
    # shellcheck disable=SC2086
    install_missing $engine_packages $clang_packages
    exec sh "$here/fuzz.sh"
    ;;
  tsan)
    # shellcheck disable=SC2086
    install_missing $engine_packages $clang_packages qt6-base-dev
    exec sh "$here/tsan.sh"
    ;;
  *)
    echo "usage: sh resources/scripts/setup.sh run|test|sanitize|openmp|fuzz|tsan" >&2
    exit 2
    ;;
esac
