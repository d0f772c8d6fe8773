#pragma once
// The embedded MNIST subset (4000 training and 1000 test digits, 28x28) as
// gzip-compressed IDX files compiled into the program; see
// resources/mnist/make_embedded_digits.py for where they come from.
#include <span>

namespace bayeslab::embedded {

std::span<const unsigned char> digitsTrainImages();
std::span<const unsigned char> digitsTrainLabels();
std::span<const unsigned char> digitsTestImages();
std::span<const unsigned char> digitsTestLabels();

}  // namespace bayeslab::embedded
