#include "hotspot/engine/limits.hpp"

#include <string>

namespace hotspot::engine {

Error too_many_cells(std::size_t cells) {
  return make_error(ErrorCode::payload_too_large,
                    std::to_string(cells) + " cells would be returned, over the limit of " +
                        std::to_string(kMaxOutputCells) +
                        "; use a larger 'cell', a higher threshold, or a narrower selection");
}

}  // namespace hotspot::engine
