#pragma once
// The caption line under exported figures: which method, prior and data made
// the picture, so that a figure pasted into slides or a paper still says so.
//   "Bayes by Backprop · Gaussian prior N(0, 1²) · blundell data, 256 points"
#include <QString>

#include "engine/training/session.h"

namespace bayeslab::ui {

// `methodName` the method's display name; `prior` the prior in use (its
// describe() gives the scale; null: the config's name only); `trainPoints` the
// number of training points actually used.
QString figureCaption(const QString& methodName, const PriorConfig& priorConfig,
                      const Prior* prior, const std::string& dataset, Index trainPoints);

}  // namespace bayeslab::ui
