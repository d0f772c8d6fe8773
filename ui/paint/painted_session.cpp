#include "ui/paint/painted_session.h"

namespace bayeslab::ui {

SessionConfig withRunningPoints(SessionConfig edited, const SessionConfig& running) {
  DatasetConfig a = edited.dataset, b = running.dataset;
  a.points.reset();
  b.points.reset();
  edited.dataset.points = a == b ? running.dataset.points : std::nullopt;
  return edited;
}

}  // namespace bayeslab::ui
