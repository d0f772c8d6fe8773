#pragma once
// Reproducible random streams.
//
// A RandomStream is a xoshiro256++ generator (Blackman & Vigna 2018) with an
// identity key. `derive(k)` gives a child stream whose sequence depends only on
// the parent's key and k, never on how many numbers the parent has produced, so
// work split into fixed units (a minibatch chunk, a parameter block, an
// ensemble member, a chain) draws the same numbers whichever thread runs it.
// Bulk draws (fillUniform, fillNormal) take one number from the stream as the
// start of a SplitMix64 sequence, which is counter-based and so vectorises;
// normals use the Box-Muller transform a block at a time with Eigen's
// vectorised log and sqrt and a quarter-turn polynomial sin / cos.

#include <array>
#include <cstdint>
#include <string_view>

#include "engine/core/real.h"

BAYESLAB_BEGIN_NAMESPACE

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 0);

  // A child stream identified by `key` (or by a name, hashed).
  RandomStream derive(std::uint64_t key) const;
  RandomStream derive(std::string_view name) const;
  std::uint64_t key() const { return m_key; }

  std::uint64_t nextU64();
  // Uniform on [0, 1) with 53 random bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), unbiased (Lemire's method); n > 0.
  std::uint64_t below(std::uint64_t n);
  // One standard normal (scalar path, for setup code).
  double normal();

  // Fill with i.i.d. standard normals; the hot path of every sampling method.
  void fillNormal(Real* out, Index n);
  void fillNormal(Eigen::Ref<Vector> out) { fillNormal(out.data(), out.size()); }
  void fillNormal(Matrix& out) { fillNormal(out.data(), out.size()); }
  // Fill with uniforms on (0, 1].
  void fillUniform(Real* out, Index n);
  // Fill with random signs (+1 / -1).
  void fillSigns(Real* out, Index n);

  template <class It>
  void shuffle(It first, It last) {
    const auto n = last - first;
    for (auto i = n - 1; i > 0; --i) {
      const auto j = static_cast<decltype(i)>(below(static_cast<std::uint64_t>(i) + 1));
      std::swap(first[i], first[j]);
    }
  }

 private:
  void seedFrom(std::uint64_t key);

  std::array<std::uint64_t, 4> m_state{};
  std::uint64_t m_key = 0;
};

// SplitMix64 finaliser: a fast, well-mixed 64-bit hash.
std::uint64_t mix64(std::uint64_t x);
std::uint64_t hashName(std::string_view name);

BAYESLAB_END_NAMESPACE
