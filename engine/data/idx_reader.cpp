#include "engine/data/idx_reader.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 31;

bool isGzip(std::span<const unsigned char> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// Inflates a gzip stream, refusing to produce more than `limit` bytes.
std::vector<std::uint8_t> gunzip(std::span<const unsigned char> bytes, const std::string& name,
                                 std::uint64_t limit) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw InputError(name, "", "cannot start decompression");
  std::vector<std::uint8_t> out;
  z.next_in = const_cast<Bytef*>(bytes.data());
  z.avail_in = static_cast<uInt>(bytes.size());
  unsigned char chunk[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    z.next_out = chunk;
    z.avail_out = sizeof(chunk);
    status = inflate(&z, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&z);
      throw InputError(name, "",
                       status == Z_BUF_ERROR ? "the compressed data is truncated"
                                             : "the compressed data is corrupt");
    }
    const size_t produced = sizeof(chunk) - z.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&z);
      throw InputError(name, "", "decompresses to more data than an IDX header can describe");
    }
    out.insert(out.end(), chunk, chunk + produced);
    if (status == Z_OK && z.avail_in == 0 && produced == 0) {
      inflateEnd(&z);
      throw InputError(name, "", "the compressed data is truncated");
    }
  }
  inflateEnd(&z);
  return out;
}

std::uint32_t bigEndian(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

}  // namespace

IdxArray parseIdx(std::span<const unsigned char> bytes, const std::string& name) {
  std::vector<std::uint8_t> inflated;
  if (isGzip(bytes)) {
    inflated = gunzip(bytes, name, kMaxIdxBytes + 64);
    bytes = inflated;
  }
  if (bytes.size() < 4) throw InputError(name, "", "too short to be an IDX file");
  if (bytes[0] != 0 || bytes[1] != 0)
    throw InputError(name, "", "not an IDX file (bad magic number)");
  if (bytes[2] != 0x08)
    throw InputError(name, "",
                     "unsupported IDX data type 0x" + std::to_string(bytes[2]) +
                         " (only unsigned bytes are supported)");
  const unsigned rank = bytes[3];
  if (rank < 1 || rank > 4)
    throw InputError(name, "", "unsupported number of dimensions " + std::to_string(rank));
  const size_t headerBytes = 4 + 4 * size_t(rank);
  if (bytes.size() < headerBytes) throw InputError(name, "", "the header is truncated");
  IdxArray array;
  std::uint64_t total = 1;
  for (unsigned d = 0; d < rank; ++d) {
    const std::uint32_t size = bigEndian(bytes.data() + 4 + 4 * d);
    array.dims.push_back(size);
    total *= size;
    if (total > kMaxIdxBytes)
      throw InputError(name, "", "the header describes more than 2 GiB of data");
  }
  const std::uint64_t available = bytes.size() - headerBytes;
  if (available < total)
    throw InputError(name, "",
                     "truncated: the header promises " + std::to_string(total) +
                         " bytes of data, the file holds " + std::to_string(available));
  if (available > total)
    throw InputError(name, "",
                     "the file is longer than its header says (" +
                         std::to_string(available - total) + " extra bytes)");
  array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(headerBytes), bytes.end());
  return array;
}

IdxArray readIdxFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(path, "", "cannot read file (" + ec.message() + ")");
  if (size > kMaxFileBytes) throw InputError(path, "", "file is larger than 2 GiB");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path, "", "cannot open file");
  std::vector<unsigned char> bytes(static_cast<size_t>(size));
  if (!f.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    throw InputError(path, "", "read failed");
  return parseIdx(bytes, path);
}

std::vector<std::uint8_t> encodeIdx(const IdxArray& array) {
  std::vector<std::uint8_t> out = {0, 0, 0x08, static_cast<std::uint8_t>(array.dims.size())};
  for (std::uint32_t d : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<std::uint8_t>(d >> shift));
  out.insert(out.end(), array.data.begin(), array.data.end());
  return out;
}

Dataset imageDataset(const IdxArray& images, const IdxArray& labels, const std::string& imagesName,
                     const std::string& labelsName) {
  if (images.dims.size() != 3)
    throw InputError(imagesName, "", "expected images with 3 dimensions [count, rows, columns]");
  if (labels.dims.size() != 1)
    throw InputError(labelsName, "", "expected labels with 1 dimension [count]");
  if (images.dims[0] != labels.dims[0])
    throw InputError(labelsName, "",
                     std::to_string(labels.dims[0]) + " labels for " +
                         std::to_string(images.dims[0]) + " images");
  const Index n = images.dims[0], rows = images.dims[1], cols = images.dims[2];
  if (n == 0) throw InputError(imagesName, "", "no images");
  if (rows == 0 || cols == 0 || rows > 1024 || cols > 1024)
    throw InputError(imagesName, "", "image size must be 1..1024 pixels per side");
  Dataset d;
  d.task = Task::Classification;
  d.imageWidth = static_cast<int>(cols);
  d.imageHeight = static_cast<int>(rows);
  d.inputs.resize(rows * cols, n);
  const Real scale = Real(1) / Real(255);
  for (Index i = 0; i < n; ++i)
    for (Index p = 0; p < rows * cols; ++p)
      d.inputs(p, i) =
          static_cast<Real>(images.data[static_cast<size_t>(i * rows * cols + p)]) * scale;
  d.labels.resize(n);
  int maxLabel = 0;
  for (Index i = 0; i < n; ++i) {
    d.labels(i) = labels.data[static_cast<size_t>(i)];
    maxLabel = std::max(maxLabel, d.labels(i));
  }
  if (maxLabel > 99) throw InputError(labelsName, "", "labels must be class indices below 100");
  d.classes = std::max(2, maxLabel + 1);
  return d;
}

BAYESLAB_END_NAMESPACE
