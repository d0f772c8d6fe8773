#include "engine/core/random.h"

#include <cmath>
#include <numbers>

BAYESLAB_BEGIN_NAMESPACE

namespace {

inline std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

constexpr Index kBlock = 512;  // normals produced per vectorised Box-Muller block

}  // namespace

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hashName(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then mixed
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
  return mix64(h);
}

RandomStream::RandomStream(std::uint64_t seed) {
  seedFrom(mix64(seed ^ 0x5eed5eed5eed5eedULL));
}

void RandomStream::seedFrom(std::uint64_t key) {
  m_key = key;
  std::uint64_t s = key;
  for (auto& word : m_state) {
    s = mix64(s);
    word = s;
  }
  if ((m_state[0] | m_state[1] | m_state[2] | m_state[3]) == 0) m_state[0] = 1;
}

RandomStream RandomStream::derive(std::uint64_t key) const {
  RandomStream child;
  child.seedFrom(mix64(m_key ^ mix64(key + 0x632be59bd9b4e019ULL)));
  return child;
}

RandomStream RandomStream::derive(std::string_view name) const {
  return derive(hashName(name));
}

std::uint64_t RandomStream::nextU64() {
  const std::uint64_t result = rotl(m_state[0] + m_state[3], 23) + m_state[0];
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

double RandomStream::uniform() {
  return static_cast<double>(nextU64() >> 11) * 0x1.0p-53;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire's nearly-divisionless method.
  std::uint64_t x = nextU64();
  __uint128_t m = static_cast<__uint128_t>(x) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = nextU64();
      m = static_cast<__uint128_t>(x) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double RandomStream::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1]
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void RandomStream::fillUniform(Real* out, Index n) {
#if defined(BAYESLAB_DOUBLE_PRECISION)
  for (Index i = 0; i < n; ++i)
    out[i] = static_cast<Real>((nextU64() >> 11) + 1) * static_cast<Real>(0x1.0p-53);
#else
  // Two 24-bit uniforms per 64-bit draw.
  Index i = 0;
  for (; i + 1 < n; i += 2) {
    const std::uint64_t x = nextU64();
    out[i] = static_cast<Real>(((x >> 8) & 0xffffff) + 1) * 0x1.0p-24f;
    out[i + 1] = static_cast<Real>((x >> 40) + 1) * 0x1.0p-24f;
  }
  if (i < n) out[i] = static_cast<Real>((nextU64() >> 40) + 1) * 0x1.0p-24f;
#endif
}

void RandomStream::fillSigns(Real* out, Index n) {
  Index i = 0;
  while (i < n) {
    std::uint64_t bits = nextU64();
    for (int b = 0; b < 64 && i < n; ++b, ++i, bits >>= 1)
      out[i] = (bits & 1U) ? Real(1) : Real(-1);
  }
}

void RandomStream::fillNormal(Real* out, Index n) {
  // Box-Muller on blocks: u1 fills the first half of the block, u2 the second;
  // the cos branch is written to the first half and the sin branch to the second.
  alignas(64) Real uniforms[kBlock];
  constexpr Real kTwoPi = static_cast<Real>(2.0 * std::numbers::pi);
  for (Index start = 0; start < n; start += kBlock) {
    const Index count = std::min(kBlock, n - start);
    const Index half = (count + 1) / 2;
    fillUniform(uniforms, 2 * half);
    Eigen::Map<ArrayX> u1(uniforms, half);
    Eigen::Map<ArrayX> u2(uniforms + half, half);
    // theta in (-pi, pi]: the polynomial sin / cos are most accurate near 0.
    alignas(64) Real radiusBuffer[kBlock / 2];
    alignas(64) Real thetaBuffer[kBlock / 2];
    Eigen::Map<ArrayX> radius(radiusBuffer, half);
    Eigen::Map<ArrayX> theta(thetaBuffer, half);
    radius = (Real(-2) * u1.log()).sqrt();
    theta = kTwoPi * (u2 - Real(0.5));
    Eigen::Map<ArrayX>(out + start, half) = radius * theta.cos();
    const Index rest = count - half;
    if (rest > 0)
      Eigen::Map<ArrayX>(out + start + half, rest) = radius.head(rest) * theta.head(rest).sin();
  }
}

BAYESLAB_END_NAMESPACE
