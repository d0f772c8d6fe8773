// libFuzzer entry point for the IDX reader (engine/data/idx_reader.h): raw or
// gzip bytes in, an IdxArray or an InputError out. An accepted array must match
// its header, re-encode to the same bytes (raw input) and, when it has the
// [count, rows, columns] shape of an images file, make an image data set or
// fail with InputError.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "engine/data/idx_reader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace bayeslab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const unsigned char> bytes(data, size);
  IdxArray array;
  if (!fuzz::acceptsOrRejects([&] { array = parseIdx(bytes, "fuzz.idx"); })) return 0;
  std::uint64_t total = 1;
  for (std::uint32_t d : array.dims) total *= d;
  fuzz::check(!array.dims.empty() && array.dims.size() <= 4, "rank 1..4");
  fuzz::check(total == array.data.size(), "data size equals the product of the dimensions");
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!gzip) {
    const std::vector<std::uint8_t> encoded = encodeIdx(array);
    fuzz::check(std::equal(encoded.begin(), encoded.end(), bytes.begin(), bytes.end()),
                "a raw file re-encodes to the same bytes");
  }
  // Labels as many as the images, when the images hold data (an empty array may
  // claim 2^32 images of 0 x 0 pixels; a real labels file for them could not be small).
  if (array.dims.size() == 3 && !array.data.empty()) {
    IdxArray labels;
    labels.dims = {array.dims[0]};
    for (std::uint32_t i = 0; i < array.dims[0]; ++i)
      labels.data.push_back(static_cast<std::uint8_t>(i % 10));
    Dataset d;
    if (fuzz::acceptsOrRejects([&] { d = imageDataset(array, labels, "images", "labels"); }))
      fuzz::check(d.size() == Index(array.dims[0]) &&
                      d.inputDim() == Index(array.dims[1]) * Index(array.dims[2]),
                  "image data set shape");
  }
  return 0;
}
