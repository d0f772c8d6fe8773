#include "engine/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

BAYESLAB_BEGIN_NAMESPACE

namespace {

void writeAll(int fd, const std::string& target, std::string_view content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(target + ": write failed (" + std::strerror(errno) + ")");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

void writeFileAtomically(const std::filesystem::path& path, std::string_view content) {
  writeFileAtomically(path, [&](const TextSink& sink) { sink(content); });
}

void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(const TextSink&)>& produce) {
  const std::string target = path.string();
  std::string temp = target + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    throw std::runtime_error(target + ": cannot create a file (" + std::strerror(errno) + ")");
  try {
    produce([&](std::string_view piece) { writeAll(fd, target, piece); });
  } catch (...) {  // a failed write or a failing producer: no partial file is left

    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error(target + ": write failed (" + why + ")");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error(target + ": cannot replace the file (" + why + ")");
  }
}

BAYESLAB_END_NAMESPACE
