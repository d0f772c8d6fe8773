#pragma once
// Painted data in the session the panels edit. The panels know nothing of
// painting; the running session records the painted points (dataset.points,
// TrainingController::replaceTrainingData). Before a save, a live edit or a
// reset, the panels' session takes the running points when it still describes
// the same base data set (name, sizes, noise, seed, options), and drops them
// when the user chose other data, so stale points never reach another set.
#include "engine/training/session.h"

namespace bayeslab::ui {

SessionConfig withRunningPoints(SessionConfig edited, const SessionConfig& running);

}  // namespace bayeslab::ui
