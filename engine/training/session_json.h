#pragma once
// Session files: JSON, the same file the GUI saves and opens and the CLI runs.
//
//   {"dataset":  {"name": "blundell", "n_train": 256, "n_test": 256, "noise": 0.02, "seed": 1},
//    "model":    {"hidden": [64, 64], "activation": "relu"},
//    "likelihood": {"name": "auto", "noise_std": 0.1, "learn_noise": false},
//    "method":   {"name": "bbb", ...method options},
//    "prior":    {"name": "gaussian", "scale": 1.0, ...prior options},
//    "training": {"steps": 2000, "batch_size": 64, "optimizer": "adam", "learning_rate": 0.01,
//                 "mc_samples": 1, "kl_weight": 1.0, "seed": 0, "threads": 1}}
//
// Painted data: "dataset": {"name": "moons", ..., "points": [[x0, x1, class], ...]}
// (regression: [x, y]) trains on these points instead of the generated training
// set; the rest of "dataset" still gives the task and the test set (painted_points.h).
//
// Missing keys take their defaults; unknown keys and wrong types are errors
// that name the file and the field.
#include <string>

#include "engine/training/session.h"

BAYESLAB_BEGIN_NAMESPACE

// Throws InputError(fileName, field, message).
SessionConfig parseSessionJson(const std::string& text, const std::string& fileName);
SessionConfig loadSession(const std::string& path);
// Complete (every key, defaults resolved), pretty-printed.
std::string sessionToJson(const SessionConfig& config);
// Atomic: a failed write leaves any earlier file untouched.
void saveSession(const std::string& path, const SessionConfig& config);

BAYESLAB_END_NAMESPACE
