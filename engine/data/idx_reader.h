#pragma once
// The IDX format of MNIST and Fashion-MNIST (LeCun et al.):
//   magic: 0x00 0x00 <type> <dims>, then <dims> big-endian uint32 sizes, then the data,
// optionally gzip-compressed (*.gz, detected from the bytes). Only unsigned-byte
// data (type 0x08) is used by these data sets.
//
// Reading is defensive: the header is checked against limits (kMaxIdxBytes; the
// file's size, or for gzip the most its compressed size can expand to) before
// anything is allocated, gzip data are inflated only up to what the header
// describes, the data length must match the header exactly, and every problem
// throws InputError naming the file.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

BAYESLAB_BEGIN_NAMESPACE

struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;  // row-major, product(dims) bytes
};

// Largest accepted array: 256 MiB, over five times the full MNIST training
// images (47 MB); an image data set made from it holds four times as much in
// float. A header claiming more is refused before anything is allocated, and
// so is a gzip file whose header claims more than deflate can expand it to.
constexpr std::uint64_t kMaxIdxBytes = std::uint64_t(1) << 28;

IdxArray readIdxFile(const std::string& path);
// `bytes` is the file content (raw or gzip); `name` is used in messages.
IdxArray parseIdx(std::span<const unsigned char> bytes, const std::string& name);
// The IDX encoding of an array (uncompressed); for tests and tools.
std::vector<std::uint8_t> encodeIdx(const IdxArray& array);

// An image classification data set from an images file [N, rows, cols] and a
// labels file [N]: pixels scaled to [0, 1], one image per column (row-major).
Dataset imageDataset(const IdxArray& images, const IdxArray& labels, const std::string& imagesName,
                     const std::string& labelsName);

BAYESLAB_END_NAMESPACE
