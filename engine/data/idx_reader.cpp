#include "engine/data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"

BAYESLAB_BEGIN_NAMESPACE

namespace {

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 31;

bool isGzip(std::span<const unsigned char> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// Deflate expands its input at most 1032-fold (a 258-byte match per 2 bits),
// so a gzip file of n bytes cannot hold more than about 1032 n bytes; a header
// promising more is corrupt (or a bomb) and is refused before any allocation.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

// Streams a gzip member into caller-sized buffers, so that the output is never
// larger than what the IDX header (checked first) describes.
class Inflater {
 public:
  Inflater(std::span<const unsigned char> bytes, const std::string& name) : m_name(name) {
    if (inflateInit2(&m_z, 15 + 16) != Z_OK)
      throw InputError(name, "", "cannot start decompression");
    m_z.next_in = const_cast<Bytef*>(bytes.data());
    m_z.avail_in = static_cast<uInt>(bytes.size());
  }
  ~Inflater() { inflateEnd(&m_z); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Fills out[0, n) as far as the stream goes; fewer than n bytes only at its end.
  size_t read(unsigned char* out, size_t n) {
    size_t produced = 0;
    while (produced < n && !m_ended) {
      const size_t room = std::min<size_t>(n - produced, size_t(1) << 30);
      m_z.next_out = out + produced;
      m_z.avail_out = static_cast<uInt>(room);
      const uInt inBefore = m_z.avail_in;
      const int status = inflate(&m_z, Z_NO_FLUSH);
      const size_t step = room - m_z.avail_out;
      produced += step;
      if (status == Z_STREAM_END) {
        m_ended = true;
      } else if (status == Z_BUF_ERROR ||
                 (status == Z_OK && step == 0 && m_z.avail_in == 0 && inBefore == 0)) {
        throw InputError(m_name, "", "the compressed data is truncated");
      } else if (status != Z_OK) {
        throw InputError(m_name, "", "the compressed data is corrupt");
      }
    }
    return produced;
  }

 private:
  z_stream m_z{};
  std::string m_name;
  bool m_ended = false;
};

std::uint32_t bigEndian(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

// The rank from the 4 magic bytes (`bytes` may hold more).
unsigned idxRank(std::span<const unsigned char> bytes, const std::string& name) {
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
  return rank;
}

// Dimensions and data size from a complete header, refusing more than kMaxIdxBytes.
std::uint64_t idxDims(std::span<const unsigned char> bytes, const std::string& name,
                      std::vector<std::uint32_t>& dims) {
  const unsigned rank = idxRank(bytes, name);
  if (bytes.size() < 4 + 4 * size_t(rank)) throw InputError(name, "", "the header is truncated");
  std::uint64_t total = 1;
  std::string shape;
  for (unsigned d = 0; d < rank; ++d) {
    const std::uint32_t size = bigEndian(bytes.data() + 4 + 4 * d);
    dims.push_back(size);
    shape += (d ? " x " : "") + std::to_string(size);
  }
  for (std::uint32_t size : dims) {
    if (size == 0) return 0;
    // total <= kMaxIdxBytes < 2^32 and size < 2^32: the product cannot overflow 64 bits.
    total *= size;
    if (total > kMaxIdxBytes) break;
  }
  if (total > kMaxIdxBytes)
    throw InputError(name, "",
                     "the header describes " + shape + " bytes, more than the " +
                         std::to_string(kMaxIdxBytes >> 20) + " MiB an IDX file may hold");
  return total;
}

std::string promise(std::uint64_t total) {
  return "the header promises " + std::to_string(total) + " bytes of data";
}

IdxArray parseGzipIdx(std::span<const unsigned char> bytes, const std::string& name) {
  Inflater in(bytes, name);
  unsigned char header[4 + 4 * 4];
  size_t got = in.read(header, 4);
  const unsigned rank = idxRank(std::span(header, got), name);
  got += in.read(header + 4, 4 * size_t(rank));
  IdxArray array;
  const std::uint64_t total = idxDims(std::span(header, got), name, array.dims);
  if (total > kMaxDeflateRatio * bytes.size() + 1024)
    throw InputError(name, "",
                     promise(total) + ", more than a " + std::to_string(bytes.size()) +
                         "-byte gzip file can hold (corrupt header)");
  array.data.resize(static_cast<size_t>(total));
  const size_t n = in.read(array.data.data(), array.data.size());
  if (n < total)
    throw InputError(name, "",
                     "truncated: " + promise(total) + ", the file holds " + std::to_string(n));
  unsigned char extra[1];
  if (in.read(extra, 1) > 0) throw InputError(name, "", "the file is longer than its header says");
  return array;
}

}  // namespace

IdxArray parseIdx(std::span<const unsigned char> bytes, const std::string& name) {
  if (isGzip(bytes)) return parseGzipIdx(bytes, name);
  IdxArray array;
  const std::uint64_t total = idxDims(bytes, name, array.dims);
  const size_t headerBytes = 4 + 4 * array.dims.size();
  const std::uint64_t available = bytes.size() - headerBytes;
  if (available < total)
    throw InputError(
        name, "", "truncated: " + promise(total) + ", the file holds " + std::to_string(available));
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
