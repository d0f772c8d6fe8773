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

namespace {

// SplitMix64's finaliser without the increment: out_i = f(key + i * golden) is
// SplitMix64 started at `key` (Steele, Lea, Flood 2014), a counter-based
// generator whose iterations are independent, so the compiler vectorises the
// loop (64-bit multiplies with AVX-512 DQ) where xoshiro's serial state cannot.
inline std::uint64_t splitMix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// Uniforms on (0, 1] into lo[0, count) and hi[0, count): two 24-bit floats per
// 64-bit draw (the float significand), or one 53-bit double.
template <class T>
void fillUniformPairs(std::uint64_t key, T* lo, T* hi, Index count) {
  for (Index i = 0; i < count; ++i) {
    const std::uint64_t x = splitMix(key + static_cast<std::uint64_t>(i) * kGolden);
    if constexpr (sizeof(T) == 4) {
      lo[i] = static_cast<T>(static_cast<std::uint32_t>((x >> 8) & 0xffffffU) + 1U) * 0x1.0p-24f;
      hi[i] = static_cast<T>(static_cast<std::uint32_t>(x >> 40) + 1U) * 0x1.0p-24f;
    } else {
      const std::uint64_t y = splitMix(key + static_cast<std::uint64_t>(i) * kGolden + 1);
      lo[i] = static_cast<T>((x >> 11) + 1) * static_cast<T>(0x1.0p-53);
      hi[i] = static_cast<T>((y >> 11) + 1) * static_cast<T>(0x1.0p-53);
    }
  }
}

// c = cos(2 pi t), s = sin(2 pi t) for t in (0, 1], t overwritten: reduced to
// the nearest quarter turn k, r = 2 pi (t - k / 4) in [-pi/4, pi/4], where
// Taylor polynomials of degree 7 (sin) and 8 (cos) are accurate to 4e-7 and
// 3e-8, then rotated by k quarter turns. Written as array arithmetic with no
// selects so that Eigen vectorises all of it (its own sin / cos reduce an
// arbitrary argument and cost several times more). For float only.
void turnCosSin(Eigen::Map<ArrayX> t, Eigen::Map<ArrayX> c, Eigen::Map<ArrayX> s,
                Eigen::Map<ArrayX> scratch) {
  c = (t * Real(4)).round();                                        // k
  t = (t * Real(4) - c) * static_cast<Real>(std::numbers::pi / 2);  // r
  c -= Real(4) * (c * Real(0.25)).floor();                          // quarter = k mod 4
  const auto r2 = t.square();
  s = t * (Real(1) + r2 * (Real(-1.0 / 6) + r2 * (Real(1.0 / 120) + r2 * Real(-1.0 / 5040))));
  t = Real(1) +
      r2 * (Real(-0.5) + r2 * (Real(1.0 / 24) + r2 * (Real(-1.0 / 720) + r2 * Real(1.0 / 40320))));
  // Now s = sin r, t = cos r, c = quarter. Odd quarters swap the two; quarters
  // 1, 2 negate the cosine and 2, 3 the sine.
  const auto odd = c - Real(2) * (c * Real(0.5)).floor();
  const auto cosSign =
      Real(1) -
      Real(2) *
          ((c + Real(1)) * Real(0.5) - Real(2) * ((c + Real(1)) * Real(0.25)).floor()).floor();
  const auto sinSign = Real(1) - Real(2) * (c * Real(0.5)).floor();
  scratch = s;
  s = sinSign * (odd * t + (Real(1) - odd) * scratch);
  c = cosSign * (odd * scratch + (Real(1) - odd) * t);
}

}  // namespace

void RandomStream::fillUniform(Real* out, Index n) {
  const Index half = n / 2;
  fillUniformPairs(nextU64(), out, out + half, half);
  if (n % 2) fillUniformPairs(nextU64(), out + n - 1, out + n - 1, 1);
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
  // Box-Muller on blocks: pair i gives radius sqrt(-2 log u1) at angle 2 pi u2,
  // its cosine branch written to the first half of the block, its sine branch
  // to the second.
  alignas(64) Real u1[kBlock / 2];
  alignas(64) Real u2[kBlock / 2];
  for (Index start = 0; start < n; start += kBlock) {
    const Index count = std::min(kBlock, n - start);
    const Index half = (count + 1) / 2;
    const Index rest = count - half;
    fillUniformPairs(nextU64(), u1, u2, half);
    Eigen::Map<ArrayX> radius(u1, half);
    radius = (Real(-2) * radius.log()).sqrt();
    Real* first = out + start;
    Real* second = first + half;
    if constexpr (sizeof(Real) == 4) {
      alignas(64) Real c[kBlock / 2];
      alignas(64) Real sn[kBlock / 2];
      alignas(64) Real scratch[kBlock / 2];
      turnCosSin(Eigen::Map<ArrayX>(u2, half), Eigen::Map<ArrayX>(c, half),
                 Eigen::Map<ArrayX>(sn, half), Eigen::Map<ArrayX>(scratch, half));
      Eigen::Map<ArrayX>(first, half) = radius * Eigen::Map<ArrayX>(c, half);
      Eigen::Map<ArrayX>(second, rest) = radius.head(rest) * Eigen::Map<ArrayX>(sn, rest);
    } else {
      constexpr Real kTwoPi = static_cast<Real>(2.0 * std::numbers::pi);
      for (Index i = 0; i < half; ++i) {
        first[i] = u1[i] * std::cos(kTwoPi * u2[i]);
        if (i < rest) second[i] = u1[i] * std::sin(kTwoPi * u2[i]);
      }
    }
  }
}

BAYESLAB_END_NAMESPACE
