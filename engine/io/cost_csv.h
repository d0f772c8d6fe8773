#pragma once
// cost.csv: one row per method of a cost measurement (diagnostics/cost_measurement.h),
//   method,name,parameters,parameters_formula,formula_value,state_bytes,ms_per_step,
//   ms_per_predictive_sample,test_log_likelihood,test_rmse | test_accuracy,steps,note
// Empty cells where a method could not run (its note says why) or a count is not
// a formula of the layout. Text cells are quoted when they hold a comma or a quote
// (RFC 4180). Written by `bayeslab-cli cost` and by the Cost view's CSV export.
#include <string>

#include "engine/diagnostics/cost_measurement.h"

BAYESLAB_BEGIN_NAMESPACE

std::string costCsv(const CostMeasurement& measurement);

BAYESLAB_END_NAMESPACE
