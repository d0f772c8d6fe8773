#pragma once
// Constants of the densities the engine evaluates.
#include <cmath>
#include <numbers>

namespace bayeslab {

// log √(2π): the normal density's log normaliser per dimension.
inline const double kHalfLogTwoPi = 0.5 * std::log(2.0 * std::numbers::pi);

}  // namespace bayeslab
