#include "engine/core/heap_tuning.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

BAYESLAB_BEGIN_NAMESPACE

void keepFreedMemoryForReuse() {
#ifdef __GLIBC__
  // Blocks up to 64 MB come from the heap and are reused; the heap is trimmed
  // only when 256 MB at its top are free. Large data (an image set) still gets
  // its own mapping and is returned when freed.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

BAYESLAB_END_NAMESPACE
