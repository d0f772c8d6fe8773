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
  const bool synced = ::fsync(fd) == 0;
  const int syncError = errno;
  // close() always, even after a failed fsync (no descriptor leaks).
  if (::close(fd) != 0 || !synced) {
    const std::string why = std::strerror(synced ? errno : syncError);
    ::unlink(temp.c_str());
    throw std::runtime_error(target + ": write failed (" + why + ")");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error(target + ": cannot replace the file (" + why + ")");
  }
  // The rename itself reaches the disk with the folder's entry: sync the folder
  // too (best effort: a folder that cannot be opened keeps the rename anyway).
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  const int dirFd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
}

BAYESLAB_END_NAMESPACE
